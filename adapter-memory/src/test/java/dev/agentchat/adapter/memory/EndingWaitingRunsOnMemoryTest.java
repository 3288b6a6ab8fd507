package dev.agentchat.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.MessageStatus;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunService;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.thread.ThreadRef;
import dev.agentchat.ports.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Ending a run that waits for approval, which no instance works on: cancelled by its owner, or out of
 * working time once decided. Whoever ends it does what its instance would have done.
 */
class EndingWaitingRunsOnMemoryTest {
    /** How long a test waits for what happens on another thread: long, since a busy machine is slow, not wrong. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Clock clock = Clock.system();
    private final InMemoryEventLog log = new InMemoryEventLog(clock);
    private final RunRecords records = new RunRecords(new InMemoryThreadStore(), new InMemoryMessageStore(),
            new InMemoryRunStore(), new InMemoryStepStore());
    private final RunControl control = RunControl.create(log, records, clock, IdSource.random(),
            RunSettings.defaults().withEventFlushInterval(Duration.ofMillis(20)));
    private final RunService service = new RunService(new InMemoryAgentStore(List.of(
            new Agent(WaitingRuns.SCOPE.agentId(), Set.of(), "Helper", "", "Be helpful."))), records, control, clock);
    private final WaitingRuns waitingRuns = new WaitingRuns(records, log);

    @Test
    void cancelling_a_waiting_run_ends_it_and_its_waiting_call_keeping_its_answer_and_freeing_its_thread() {
        // given a run that said something and waits for approval of a call
        WaitingRuns.Paused paused = waitingRuns.waiting("run_cancelled", "Let me check. ", clock.now(), clock.now(), true);
        Run waiting = paused.run();

        // when its owner cancels it
        Run cancelled = service.cancelRun(refOf(waiting), waiting.id());

        // then it ended cancelled, with its waiting call
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.failure().code()).isEqualTo("cancelled");
        assertThat(stepsOf(waiting)).singleElement().extracting(Step::status).isEqualTo(StepStatus.CANCELLED);
        // and its followers are told so, numbered on from the pause
        List<RunEvent> told = log.readAfter(waiting.threadId(), waiting.id(), paused.pausedAtEvent(), 10, clock.now());
        assertThat(told).extracting(RunEvent::sequence).containsExactly(3L, 4L);
        assertThat(told.get(0).event()).isInstanceOfSatisfying(ChatEvent.TraceEnd.class, end -> {
            assertThat(end.stepId()).isEqualTo(paused.call().id());
            assertThat(end.status()).isEqualTo("cancelled");
        });
        assertThat(told.get(1).event()).isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.code()).isEqualTo("cancelled"));
        // and what it answered is kept as an incomplete answer, as a cancel of a working run keeps it
        assertThat(cancelled.answerMessageId()).isNotNull();
        assertThat(records.messages().listByThread(waiting.threadId()))
                .filteredOn(message -> message.id().equals(cancelled.answerMessageId()))
                .singleElement().satisfies(message -> {
                    assertThat(message.content()).isEqualTo("Let me check. ");
                    assertThat(message.status()).isEqualTo(MessageStatus.INCOMPLETE);
                });
        // and its thread takes the next run
        assertThat(records.threads().find(WaitingRuns.SCOPE, waiting.threadId()).orElseThrow().activeRun()).isEmpty();
    }

    @Test
    void the_end_of_a_cancelled_waiting_run_is_numbered_past_its_pause_even_when_the_log_missed_the_pause() {
        // given a waiting run whose instance never logged its last batch, the approval_required (id 2)
        WaitingRuns.Paused paused = waitingRuns.waiting("run_unlogged", "Let me check. ", clock.now(), clock.now(), false);

        // when it is cancelled
        service.cancelRun(refOf(paused.run()), paused.run().id());

        // then its end takes no id a client may have got from the pause
        assertThat(log.readAfter(paused.run().threadId(), paused.run().id(), 0, 10, clock.now()))
                .extracting(RunEvent::sequence).containsExactly(1L, 3L, 4L);
    }

    @Test
    void a_cancel_that_loses_to_a_decision_changes_nothing() {
        // given a waiting run, read by a cancel just before a decision resumed it
        WaitingRuns.Paused paused = waitingRuns.waiting("run_raced", "Let me check. ", clock.now(), clock.now(), true);
        Run readByTheCancel = paused.run();
        waitingRuns.approve(paused, clock.now());

        // when the cancel goes on with what it read
        var ended = control.recovery().cancelWaiting(readByTheCancel);

        // then it ends nothing: the decision won
        assertThat(ended).isEmpty();
        Run stored = records.runs().find(readByTheCancel.threadId(), readByTheCancel.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.IN_PROGRESS);
        assertThat(stepsOf(stored)).singleElement().extracting(Step::status).isEqualTo(StepStatus.AWAITING_APPROVAL);
        assertThat(log.logged(stored.threadId(), stored.id()).lastSequence()).isEqualTo(2);
        assertThat(records.messages().listByThread(stored.threadId())).isEmpty();
        assertThat(records.threads().find(WaitingRuns.SCOPE, stored.threadId()).orElseThrow().activeRun())
                .contains(stored.id());
    }

    @Test
    void a_waiting_run_decided_with_no_working_time_left_ends_incomplete() {
        // given a waiting run
        WaitingRuns.Paused paused = waitingRuns.waiting("run_out_of_time", "Let me check. ", clock.now(), clock.now(), true);

        // when it is ended for having no working time left
        RunFailure timeout = RunFailure.runTimeout(Duration.ofMinutes(10));
        Run ended = control.recovery().endWaitingOutOfTime(paused.run(), timeout).orElseThrow();

        // then it is incomplete, keeping its answer, its call is not run, and its followers and thread know
        assertThat(ended.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(ended.failure()).isEqualTo(timeout);
        assertThat(ended.answerMessageId()).isNotNull();
        assertThat(stepsOf(ended)).singleElement().extracting(Step::status).isEqualTo(StepStatus.CANCELLED);
        assertThat(log.readAfter(ended.threadId(), ended.id(), 2, 10, clock.now()))
                .extracting(RunEvent::event).last().isInstanceOfSatisfying(ChatEvent.Error.class,
                        error -> assertThat(error.code()).isEqualTo("run_timeout"));
        assertThat(records.threads().find(WaitingRuns.SCOPE, ended.threadId()).orElseThrow().activeRun()).isEmpty();
    }

    @Test
    void a_client_following_a_waiting_run_stays_until_it_is_cancelled_and_sees_its_end() {
        // given a client that follows a waiting run from its first event
        WaitingRuns.Paused paused = waitingRuns.waiting("run_watched", "Let me check. ", clock.now(), clock.now(), true);
        RecordedEvents client = new RecordedEvents();
        CompletableFuture<Boolean> following = CompletableFuture.supplyAsync(
                () -> control.streams().follow(paused.run(), client, 0), runnable -> Thread.ofVirtual().start(runnable));
        await().atMost(PATIENCE).until(() -> client.events.size() == 2);
        assertThat(following).as("the client stays while the run waits").isNotDone();

        // when the run is cancelled
        service.cancelRun(refOf(paused.run()), paused.run().id());

        // then the client gets its end, after everything before, once
        assertThat(following).succeedsWithin(PATIENCE).isEqualTo(true);
        assertThat(client.events).extracting(RunEvent::sequence).containsExactly(1L, 2L, 3L, 4L);
    }

    private static ThreadRef refOf(Run run) {
        return new ThreadRef(run.agentId(), run.userId(), run.threadId());
    }

    private List<Step> stepsOf(Run run) {
        return records.steps().listByRun(run.threadId(), run.id());
    }
}
