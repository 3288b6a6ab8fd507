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
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.Run;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.time.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A client following, through the event log, a run another instance executes, on a clock the test
 * moves: the test plays that instance, writing a batch at each of its flushes, and moves time to each
 * moment the follower waits for, so that the follower reads exactly when it means to.
 */
class FollowFromTheLogOnManualClockTest {
    /** How long a test waits for what happens on another thread: long, since a busy machine is slow, not wrong. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Duration FLUSH = RunSettings.defaults().eventFlushInterval();

    private final ManualClock manual = ManualClock.atSomeDate();
    private final WatchedClock clock = new WatchedClock(manual);
    private final InMemoryEventLog log = new InMemoryEventLog(manual);
    private final RunRecords records = new RunRecords(new InMemoryThreadStore(), new InMemoryMessageStore(),
            new InMemoryRunStore(), new InMemoryStepStore());
    private final RunControl here = RunControl.create(log, records, clock, IdSource.random(), RunSettings.defaults());

    @Test
    void a_follower_gets_each_batch_of_another_instance_soon_after_its_flush_not_up_to_a_flush_later() {
        // given a run executing elsewhere, whose instance flushes every interval, 130 ms out of step with the follower
        Run elsewhere = new WaitingRuns(records, log).started("run_elsewhere", manual.now());
        long began = manual.nanoTime();
        List<Long> flushes = new ArrayList<>();
        for (int k = 0; k < 24; k++) {
            flushes.add(began + Duration.ofMillis(130).toNanos() + k * FLUSH.toNanos());
        }
        TimedEvents follower = new TimedEvents(manual);
        CompletableFuture<Boolean> followed = CompletableFuture.supplyAsync(
                () -> here.streams().follow(elsewhere, follower, 0), runnable -> Thread.ofVirtual().start(runnable));
        await().atMost(PATIENCE).until(() -> clock.waitsBegun() >= 1);

        // when each flush writes a token, the follower reading whenever it means to
        for (int k = 0; k < flushes.size(); k++) {
            long flush = flushes.get(k);
            while (clock.deadline() < flush) {
                letTheFollowerRead();
            }
            log.append(elsewhere.threadId(), elsewhere.id(),
                    List.of(new RunEvent(k + 1, new ChatEvent.Token("token " + k, manual.now()))), manual.now().plus(Duration.ofHours(1)));
            manual.advance(Duration.ofNanos(flush - manual.nanoTime()));
        }
        while (follower.received.size() < flushes.size()) {
            letTheFollowerRead();
        }
        follower.leave();

        // then each batch reached the follower within a twelfth of the flush interval of its write
        assertThat(followed).succeedsWithin(PATIENCE);
        for (int k = 0; k < flushes.size(); k++) {
            assertThat(follower.received.get((long) k + 1) - flushes.get(k))
                    .as("how long after its flush token %d reached the follower", k)
                    .isBetween(0L, FLUSH.toNanos() / 12);
        }
        // and, past its first flushes, at little more than a read per flush
        assertThat(clock.waitsBegun()).isLessThan(flushes.size() * 3 / 2 + 16);
    }

    /** Moves time to the follower's deadline and waits until it has read and waits again. */
    private void letTheFollowerRead() {
        int before = clock.waitsBegun();
        manual.advance(Duration.ofNanos(Math.max(0, clock.deadline() - manual.nanoTime())));
        await().atMost(PATIENCE).until(() -> clock.waitsBegun() > before);
    }

    /** A client that keeps, for each event id, the clock's reading when it got it. */
    private static final class TimedEvents extends RecordedEvents {
        final Map<Long, Long> received = new ConcurrentHashMap<>();
        private final Clock clock;

        TimedEvents(Clock clock) {
            this.clock = clock;
        }

        @Override
        public void emit(RunEvent numbered) {
            received.put(numbered.sequence(), clock.nanoTime());
            super.emit(numbered);
        }
    }

    /** The manual clock, telling how many waits its signals began and the deadline of the last. */
    private static final class WatchedClock implements Clock {
        private final ManualClock manual;
        private final AtomicInteger waits = new AtomicInteger();
        private final AtomicLong deadline = new AtomicLong(Long.MAX_VALUE);

        WatchedClock(ManualClock manual) {
            this.manual = manual;
        }

        int waitsBegun() {
            return waits.get();
        }

        long deadline() {
            return deadline.get();
        }

        @Override
        public Instant now() {
            return manual.now();
        }

        @Override
        public long nanoTime() {
            return manual.nanoTime();
        }

        @Override
        public Signal newSignal() {
            Signal signal = manual.newSignal();
            return new Signal() {
                @Override
                public void signal() {
                    signal.signal();
                }

                @Override
                public boolean awaitUntil(BooleanSupplier done, long until) throws InterruptedException {
                    deadline.set(until);
                    waits.incrementAndGet();
                    return signal.awaitUntil(done, until);
                }
            };
        }
    }
}
