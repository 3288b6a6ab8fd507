package dev.agentchat.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.memory.time.ManualClock;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.EventIdReservation;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.ActiveRunLimit;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.LiveRun;
import dev.agentchat.ports.run.LoggedEvents;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A run that pauses for approval and is resumed, perhaps by another instance: the resumed stretch
 * numbers its events on from the pause, and a client following the run keeps its stream through the
 * pause, getting every event once. The stretches are played straight through the live runs, as a
 * turn plays them.
 */
class RunsAcrossPausesOnMemoryTest {
    /** How long a test waits for what happens on another thread: long, since a busy machine is slow, not wrong. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Clock clock = Clock.system();
    private final ReadCountingLog log = new ReadCountingLog(new InMemoryEventLog(clock));
    private final RunRecords records = new RunRecords(new InMemoryThreadStore(), new InMemoryMessageStore(),
            new InMemoryRunStore(), new InMemoryStepStore());
    private final RunControl control = RunControl.create(log, records, clock, IdSource.random(),
            RunSettings.defaults().withEventFlushInterval(Duration.ofMillis(20)));
    private final WaitingRuns waitingRuns = new WaitingRuns(records, log);

    @Test
    void a_resumed_run_numbers_its_events_on_from_its_pause() {
        // given a run that paused after its second event, and was approved
        WaitingRuns.Paused paused = waitingRuns.waiting("run_resumed", "Let me work it out. ", clock.now(), clock.now(), true);
        Run resumed = waitingRuns.approve(paused, clock.now());

        // when it is resumed, and a client follows it from the pause
        LiveRun live = resume(resumed, paused.pausedAtEvent(), finishing("It is 42."));
        RecordedEvents fromThePause = new RecordedEvents();
        boolean reachedEnd = control.streams().follow(resumed, fromThePause, paused.pausedAtEvent());

        // then its events are numbered 3 and on, and the client got them all
        assertThat(reachedEnd).isTrue();
        assertThat(live.base()).isEqualTo(2);
        assertThat(fromThePause.ids()).containsExactly(3L, 4L);
        assertThat(fromThePause.events.getFirst().event()).isInstanceOfSatisfying(ChatEvent.Token.class,
                token -> assertThat(token.content()).isEqualTo("It is 42."));
        assertThat(fromThePause.events.getLast().isLast()).isTrue();
        assertThat(live.lastSequence()).isEqualTo(4);
    }

    @Test
    void a_client_asking_for_events_before_the_resumed_stretch_gets_them_from_the_log() throws Exception {
        // given a resumed run going on here, which has said something and is not done
        WaitingRuns.Paused paused = waitingRuns.waiting("run_reread", "Let me work it out. ", clock.now(), clock.now(), true);
        Run resumed = waitingRuns.approve(paused, clock.now());
        CountDownLatch finish = new CountDownLatch(1);
        resume(resumed, paused.pausedAtEvent(), live -> {
            live.emit(new ChatEvent.Token("It is ", clock.now()));
            awaitUninterruptibly(finish);
            finishing("42.").accept(live);
        });

        // when a client that got only the first event comes back
        RecordedEvents reconnected = new RecordedEvents();
        CompletableFuture<Boolean> following = CompletableFuture.supplyAsync(
                () -> control.streams().follow(resumed, reconnected, 1), virtualThread());
        await().atMost(PATIENCE).until(() -> reconnected.events.size() == 2);
        finish.countDown();

        // then it gets the pause and the rest, each once
        assertThat(following).succeedsWithin(PATIENCE).isEqualTo(true);
        assertThat(reconnected.ids()).containsExactly(2L, 3L, 4L, 5L);
        assertThat(reconnected.events.getFirst().event()).isInstanceOf(ChatEvent.ApprovalRequired.class);
    }

    @Test
    void a_client_following_a_run_keeps_its_stream_through_the_pause_and_gets_every_event_once() {
        // given a run whose first stretch says two things and then pauses, with a client following it
        Run running = waitingRuns.started("run_followed", clock.now());
        AtomicReference<WaitingRuns.Paused> pause = new AtomicReference<>();
        LiveRun first = control.live().start(running, slot(), live -> {
            live.emit(new ChatEvent.Token("Let me ", clock.now()));
            live.emit(new ChatEvent.Token("work it out. ", clock.now()));
            pause.set(waitingRuns.pause(running, "Let me work it out. ", live.lastSequence() + 1, clock.now()));
            live.emit(pause.get().approvalRequired());
        });
        RecordedEvents client = new RecordedEvents();
        CompletableFuture<Boolean> following = CompletableFuture.supplyAsync(
                () -> control.streams().followAcrossPauses(running, first, client), virtualThread());

        // when the first stretch has retired, and then the call is approved and the run resumed
        await().atMost(PATIENCE).until(() -> control.live().find(running.id()).isEmpty());
        await().atMost(PATIENCE).until(() -> client.events.size() == 3);
        assertThat(following).as("the client stays through the pause").isNotDone();
        Run resumed = waitingRuns.approve(pause.get(), clock.now());
        LoggedEvents logged = log.logged(running.threadId(), running.id());
        resume(resumed, logged.lastSequence(), finishing("It is 42."));

        // then the client got every event of both stretches, once each and in order, and the end
        assertThat(following).succeedsWithin(PATIENCE).isEqualTo(true);
        assertThat(client.ids()).containsExactlyElementsOf(LongStream.rangeClosed(1, 5).boxed().toList());
        assertThat(client.events.get(2).event()).isInstanceOf(ChatEvent.ApprovalRequired.class);
        assertThat(client.events.getLast().event()).isInstanceOf(ChatEvent.Done.class);
    }

    @Test
    void a_client_following_a_waiting_run_reads_the_log_no_more_once_it_has_the_pause() {
        // given a run that paused after its second event, all of them logged, and a client following it
        WaitingRuns.Paused paused = waitingRuns.waiting("run_quiet", "Let me work it out. ", clock.now(), clock.now(), true);
        RecordedEvents client = new RecordedEvents();
        CompletableFuture<Boolean> following = CompletableFuture.supplyAsync(
                () -> control.streams().follow(paused.run(), client, 0), virtualThread());
        await().atMost(PATIENCE).until(() -> client.events.size() == 2);

        // when it waits for a while: many flush intervals
        int readsWhenPaused = log.reads();
        Instant until = Instant.now().plus(Duration.ofSeconds(3));   // 150 flush intervals, 3 looks at the run
        await().atMost(PATIENCE).until(() -> Instant.now().isAfter(until));

        // then it read the log at most once more, however many flushes went by; and it still follows
        assertThat(log.reads() - readsWhenPaused).isLessThanOrEqualTo(1);
        assertThat(following).isNotDone();
        client.leave();
        assertThat(following).succeedsWithin(PATIENCE).isEqualTo(false);
    }

    @Test
    void a_caller_that_does_not_stream_stops_at_the_pause_and_sees_the_run_waiting() {
        // given a run that paused, executing here no more
        Run running = waitingRuns.started("run_whole", clock.now());
        LiveRun first = control.live().start(running, slot(), live -> {
            live.emit(new ChatEvent.Token("Let me work it out. ", clock.now()));
            live.emit(waitingRuns.pause(running, "Let me work it out. ", live.lastSequence() + 1, clock.now())
                    .approvalRequired());
        });

        // when a caller that wants only the outcome follows it, here and through the log, and awaits its end
        boolean here = control.streams().followAcrossPauses(running, first, ChatEventSink.NOBODY);
        await().atMost(PATIENCE).until(() -> control.live().find(running.id()).isEmpty());
        CompletableFuture<Boolean> fromTheLog = CompletableFuture.supplyAsync(
                () -> control.streams().follow(running, ChatEventSink.NOBODY, 0), virtualThread());
        CompletableFuture<Run> ended = CompletableFuture.supplyAsync(
                () -> control.streams().awaitEnd(running), virtualThread());

        // then neither waits for a decision: the run as they see it waits for one
        assertThat(here).isFalse();
        assertThat(fromTheLog).succeedsWithin(PATIENCE).isEqualTo(false);
        assertThat(ended).succeedsWithin(PATIENCE).extracting(Run::status).isEqualTo(RunStatus.REQUIRES_ACTION);
    }

    @Test
    void a_client_that_stops_at_pauses_gets_the_pauses_own_events_though_they_reach_the_log_after_the_pause_is_stored() {
        // given a run stored waiting whose pausing instance has not logged its last batch (the approval_required) yet
        WaitingRuns.Paused paused = waitingRuns.waiting("run_late_batch", "Let me work it out. ", clock.now(), clock.now(), false);
        RecordedEvents stopsAtPauses = new RecordedEvents() {
            @Override
            public boolean followsPastPauses() {
                return false;
            }
        };

        // when such a client follows it from the log, and the batch arrives meanwhile
        CompletableFuture<Boolean> following = CompletableFuture.supplyAsync(
                () -> control.streams().follow(paused.run(), stopsAtPauses, 0), virtualThread());
        await().atMost(PATIENCE).until(() -> stopsAtPauses.ids().contains(1L));
        log.append(paused.run().threadId(), paused.run().id(), List.of(new RunEvent(2, paused.approvalRequired())),
                clock.now().plus(Duration.ofHours(1)));

        // then its stream ends at the pause, with every event up to it
        assertThat(following).succeedsWithin(PATIENCE).isEqualTo(false);
        assertThat(stopsAtPauses.ids()).containsExactly(1L, 2L);
    }

    @Test
    void awaiting_the_end_of_a_run_read_while_it_waited_gives_the_run_as_it_is_now() {
        // given a run read while it waited, which was approved and finished since
        WaitingRuns.Paused paused = waitingRuns.waiting("run_read_early", "Let me work it out. ", clock.now(), clock.now(), true);
        Run resumed = waitingRuns.approve(paused, clock.now());
        records.runs().update(resumed.complete(MessageId.of("msg_answer"), Usage.NONE, clock.now()).state());

        // when a caller awaits its end with what it read
        CompletableFuture<Run> ended = CompletableFuture.supplyAsync(
                () -> control.streams().awaitEnd(paused.run()), virtualThread());

        // then it gets the finished run, not the pause it read
        assertThat(ended).succeedsWithin(PATIENCE).extracting(Run::status).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void a_resumer_waits_for_the_pause_to_reach_the_log_and_takes_the_log_as_it_is_once_the_pauser_is_surely_gone() {
        // given, on a clock the test moves, two waiting runs whose instance has not written its last batch (the pause)
        ManualClock manual = ManualClock.atSomeDate();
        InMemoryEventLog manualLog = new InMemoryEventLog(manual);
        RunRecords manualRecords = new RunRecords(new InMemoryThreadStore(), new InMemoryMessageStore(),
                new InMemoryRunStore(), new InMemoryStepStore());
        RunControl onManualClock = RunControl.create(manualLog, manualRecords, manual, IdSource.random(),
                RunSettings.defaults());
        WaitingRuns manualRuns = new WaitingRuns(manualRecords, manualLog);
        WaitingRuns.Paused late = manualRuns.waiting("run_late", "Let me check. ", manual.now(), manual.now(), false);
        WaitingRuns.Paused lost = manualRuns.waiting("run_lost", "Let me check. ", manual.now(), manual.now(), false);
        CompletableFuture<LoggedEvents> forLate = CompletableFuture.supplyAsync(
                () -> onManualClock.streams().awaitPauseLogged(late.run()), virtualThread());
        CompletableFuture<LoggedEvents> forLost = CompletableFuture.supplyAsync(
                () -> onManualClock.streams().awaitPauseLogged(lost.run()), virtualThread());
        await().atMost(PATIENCE).until(() -> manual.waiting() >= 2);

        // when one pause reaches the log, and a flush interval passes
        manualLog.append(late.run().threadId(), late.run().id(), List.of(new RunEvent(2, late.approvalRequired())),
                manual.now().plus(Duration.ofHours(1)));
        manual.advance(RunSettings.defaults().eventFlushInterval());

        // then its resumer goes on from it, while the other still waits, until its instance is surely gone
        assertThat(forLate).succeedsWithin(PATIENCE).extracting(LoggedEvents::lastSequence).isEqualTo(2L);
        assertThat(forLost).isNotDone();
        await().atMost(PATIENCE).until(() -> manual.waiting() == 1);
        manual.advance(Duration.ofSeconds(30));
        assertThat(forLost).succeedsWithin(PATIENCE).extracting(LoggedEvents::lastSequence).isEqualTo(1L);
    }

    private LiveRun resume(Run resumed, long lastEventId, Consumer<LiveRun> turn) {
        LoggedEvents logged = log.logged(resumed.threadId(), resumed.id());
        return control.live().resume(resumed, slot(), lastEventId,
                EventIdReservation.fromLog(Math.max(lastEventId, logged.lastSequence()), logged.recorded()), turn);
    }

    /** A resumed turn that answers {@code text} and completes the run. */
    private Consumer<LiveRun> finishing(String text) {
        return live -> {
            Run going = records.runs().find(threadOf(live), live.runId()).orElseThrow();
            live.emit(new ChatEvent.Token(text, clock.now()));
            var done = going.complete(MessageId.of("msg_answer_" + live.runId().value()), Usage.NONE, clock.now());
            records.runs().update(done.state());
            done.events().forEach(live::emit);
        };
    }

    private ThreadId threadOf(LiveRun live) {
        return ThreadId.of("thread_" + live.runId().value());
    }

    private dev.agentchat.ports.run.RunSlot slot() {
        return control.live().admit(WaitingRuns.SCOPE.userId(), ActiveRunLimit.of(10));
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.Executor virtualThread() {
        return runnable -> Thread.ofVirtual().start(runnable);
    }

    /** The run's event log, counting how often it is read. */
    private static final class ReadCountingLog implements EventLog {
        private final EventLog stored;
        private final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

        ReadCountingLog(EventLog stored) {
            this.stored = stored;
        }

        int reads() {
            return reads.get();
        }

        @Override
        public void append(ThreadId threadId, RunId runId, List<RunEvent> events, long reservedThrough, Instant keepUntil) {
            stored.append(threadId, runId, events, reservedThrough, keepUntil);
        }

        @Override
        public LoggedEvents logged(ThreadId threadId, RunId runId) {
            reads.incrementAndGet();
            return stored.logged(threadId, runId);
        }

        @Override
        public List<RunEvent> readAfter(ThreadId threadId, RunId runId, long after, int limit, Instant now) {
            reads.incrementAndGet();
            return stored.readAfter(threadId, runId, after, limit, now);
        }

        @Override
        public int deleteByThread(ThreadId threadId) {
            return stored.deleteByThread(threadId);
        }
    }
}
