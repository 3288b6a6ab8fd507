package dev.agentchat.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.memory.time.ManualClock;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.RecoverySweep;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * The sweep for runs that stopped instances left unfinished, on a clock the test moves: it looks at
 * start, then once every grace period of the clock, and its thread ends when it is stopped.
 */
class RecoverySweepOnManualClockTest {
    private static final ThreadScope SCOPE = new ThreadScope(AgentId.of("helper"), UserId.of("ada"));
    /** How long a test waits for what happens on another thread: long, since a busy machine is slow, not wrong. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final ManualClock clock = ManualClock.atSomeDate();
    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final RunSettings settings = RunSettings.defaults();
    private final InMemoryEventLog log = new InMemoryEventLog(clock);
    private final RunRecords records = new RunRecords(threads, new InMemoryMessageStore(), runs, new InMemoryStepStore());
    private final RunControl control = RunControl.create(log, records, clock, IdSource.random(), settings);

    @Test
    void a_run_left_unfinished_is_ended_at_the_first_sweep_after_it_is_certainly_abandoned() {
        // given a run that an instance started and never ended, and the sweep started with it
        Run left = runLeftUnfinished("run_left", clock.now());
        try (RecoverySweep sweep = RecoverySweep.start(control.recovery(), clock, settings.abandonGrace())) {
            await().atMost(PATIENCE).until(() -> clock.waiting() > 0);   // the first sweep is done, and found it too young
            assertThat(status(left)).isEqualTo(RunStatus.IN_PROGRESS);

            // when the clock passes the age past which no live instance lets a run get
            clock.advance(settings.abandonedAfter().plusSeconds(1));

            // then the next sweep ends it, and frees its thread
            await().atMost(PATIENCE).until(() -> status(left) == RunStatus.FAILED);
            assertThat(threads.find(SCOPE, left.threadId()).orElseThrow().activeRun()).isEmpty();
        }
    }

    @Test
    void the_sweep_looks_again_only_when_a_grace_period_of_the_clock_has_passed() {
        // given a sweep that has looked once, and then a run found left long ago
        try (RecoverySweep sweep = RecoverySweep.start(control.recovery(), clock, settings.abandonGrace())) {
            await().atMost(PATIENCE).until(() -> clock.waiting() > 0);
            Run left = runLeftUnfinished("run_left", clock.now().minus(settings.abandonedAfter()).minusSeconds(1));

            // when the clock moves to a second short of the next look, the run is left alone
            clock.advance(settings.abandonGrace().minusSeconds(1));
            assertThat(clock.waiting()).as("the sweep still waits").isPositive();
            assertThat(status(left)).isEqualTo(RunStatus.IN_PROGRESS);

            // then the look a grace period after the first ends it
            clock.advance(Duration.ofSeconds(1));
            await().atMost(PATIENCE).until(() -> status(left) == RunStatus.FAILED);
        }
    }

    @Test
    void a_stopped_sweep_ends_its_thread() {
        // given a sweep waiting for its next look
        RecoverySweep sweep = RecoverySweep.start(control.recovery(), clock, settings.abandonGrace());
        await().atMost(PATIENCE).until(() -> clock.waiting() > 0);

        // when it is stopped, with the clock never moved
        sweep.stop(PATIENCE);

        // then its thread has ended, without waiting for the grace period
        assertThat(sweep.isStopped()).isTrue();
    }

    @Test
    void a_run_waiting_for_approval_outlives_the_age_past_which_a_working_run_counts_as_abandoned() {
        // given a run that waits for approval, a run left unfinished beside it, and the sweep
        WaitingRuns.Paused waiting = new WaitingRuns(records, log)
                .waiting("run_waiting", "Let me check. ", clock.now(), clock.now(), true);
        Run left = runLeftUnfinished("run_left", clock.now());
        try (RecoverySweep sweep = RecoverySweep.start(control.recovery(), clock, settings.abandonGrace())) {
            await().atMost(PATIENCE).until(() -> clock.waiting() > 0);

            // when the clock passes the age past which no live instance lets a run get, and a sweep has ended the other
            clock.advance(settings.abandonedAfter().plusSeconds(1));
            await().atMost(PATIENCE).until(() -> status(left) == RunStatus.FAILED);

            // then the waiting run still waits, holding its thread, and is not taken for abandoned on a chat's look either
            Run stored = runs.find(waiting.run().threadId(), waiting.run().id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(RunStatus.REQUIRES_ACTION);
            assertThat(threads.find(SCOPE, stored.threadId()).orElseThrow().activeRun()).contains(stored.id());
            assertThat(control.recovery().abandonIfAbandoned(stored)).isEmpty();
        }
    }

    @Test
    void the_sweep_runs_each_of_its_tasks_every_time_and_one_that_fails_stops_no_other() {
        // given a sweep of three tasks, the second of which always fails
        AtomicInteger first = new AtomicInteger();
        AtomicInteger failing = new AtomicInteger();
        AtomicInteger last = new AtomicInteger();
        try (RecoverySweep sweep = RecoverySweep.start(clock, settings.abandonGrace(),
                counting(first),
                () -> {
                    failing.incrementAndGet();
                    throw new IllegalStateException("the store is down");
                },
                counting(last))) {
            await().atMost(PATIENCE).until(() -> last.get() == 1 && clock.waiting() > 0);

            // when a grace period of the clock passes
            clock.advance(settings.abandonGrace());

            // then every task ran again, the failing one too
            await().atMost(PATIENCE).until(() -> last.get() == 2);
            assertThat(first).hasValue(2);
            assertThat(failing).hasValue(2);
            assertThat(sweep.isStopped()).isFalse();
        }
    }

    @Test
    void a_sweep_told_to_stop_during_a_task_starts_none_of_the_tasks_after_it() throws Exception {
        // given a sweep whose first task is under way, and a second that may start runs
        CountDownLatch underWay = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger second = new AtomicInteger();
        RecoverySweep sweep = RecoverySweep.start(clock, settings.abandonGrace(), () -> {
            underWay.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }, counting(second));
        underWay.await();

        // when the instance stops it, and the first task then finishes
        sweep.requestStop();
        finish.countDown();
        sweep.stop(PATIENCE);

        // then the second task never ran
        assertThat(sweep.isStopped()).isTrue();
        assertThat(second).hasValue(0);
    }

    /** A task that counts its runs in {@code runs} and moves no run on. */
    private static IntSupplier counting(AtomicInteger runs) {
        return () -> {
            runs.incrementAndGet();
            return 0;
        };
    }

    private Run runLeftUnfinished(String id, java.time.Instant startedAt) {
        RunId runId = RunId.of(id);
        ThreadId threadId = ThreadId.of("thread_" + id);
        threads.create(ChatThread.open(threadId, SCOPE.agentId(), SCOPE.userId(), "hello", runId, startedAt));
        Run run = Run.queue(runId, threadId, SCOPE, 1, MessageId.of("msg_" + id), startedAt).start(startedAt).state();
        runs.create(run);
        return run;
    }

    private RunStatus status(Run run) {
        return runs.find(run.threadId(), run.id()).orElseThrow().status();
    }
}
