package dev.agentchat.adapter.memory.time;

import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.time.Signal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A clock that moves only when told: {@link #advance} moves the date and the interval reading together
 * and releases every wait whose deadline it reaches, on the waiting threads. A test moves time past a
 * deadline instead of sleeping until it; a service waiting on it waits until the test does.
 *
 * <p>Its signals share one lock and one condition: every change wakes every waiter to read its own
 * condition again, which costs nothing at a test's scale and cannot lose a wake-up.
 */
public final class ManualClock implements Clock {
    /** Where interval readings start: any value would do, as with {@link System#nanoTime}, but not 0, which some callers take for "none". */
    private static final long ORIGIN = 1_000_000_000L;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    private final Instant start;
    /** Written under the lock, read without it: the date and interval readings must not block. */
    private volatile long elapsed;
    private int waiting;

    public ManualClock(Instant start) {
        this.start = Objects.requireNonNull(start, "start");
    }

    /** A manual clock at a fixed, arbitrary date. */
    public static ManualClock atSomeDate() {
        return new ManualClock(Instant.parse("2026-01-01T09:00:00Z"));
    }

    @Override
    public Instant now() {
        return start.plusNanos(elapsed).truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public long nanoTime() {
        return ORIGIN + elapsed;
    }

    /** Moves time on by {@code duration}; every wait whose deadline that reaches returns. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, not by " + duration);
        }
        lock.lock();
        try {
            elapsed += duration.toNanos();
            moved.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many threads are waiting on this clock now (for a signal or a deadline). */
    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Signal newSignal() {
        return new ManualSignal();
    }

    private final class ManualSignal implements Signal {
        @Override
        public void signal() {
            lock.lock();
            try {
                moved.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean awaitUntil(BooleanSupplier done, long deadline) throws InterruptedException {
            lock.lock();
            waiting++;
            try {
                while (!done.getAsBoolean()) {
                    if (nanoTime() - deadline >= 0) {
                        return false;
                    }
                    moved.await();
                }
                return true;
            } finally {
                waiting--;
                lock.unlock();
            }
        }
    }
}
