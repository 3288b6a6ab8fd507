package dev.agentchat.ports.time;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Where the services read the time and wait for it, so that tests can set it and move it. A clock
 * given as a lambda sets only the date: its intervals and waits are the system's. A clock that
 * overrides all of it (a manual one) decides when every deadline of the services comes.
 */
@FunctionalInterface
public interface Clock {
    Instant now();

    /**
     * A reading for measuring intervals and setting deadlines, in nanoseconds: only the difference of
     * two readings means anything (as with {@link System#nanoTime}).
     */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** A new place for threads to wait until another thread signals them or a deadline of this clock passes. */
    default Signal newSignal() {
        return new SystemSignal(this::nanoTime);
    }

    /** Waits {@code duration} as this clock counts it; a duration past what nanoseconds can count waits for ever. */
    default void sleep(Duration duration) throws InterruptedException {
        long nanos = duration.compareTo(Duration.ofNanos(Long.MAX_VALUE / 2)) > 0 ? Long.MAX_VALUE / 2 : duration.toNanos();
        newSignal().awaitUntil(() -> false, nanoTime() + nanos);
    }

    /** The system clock, to the millisecond: the precision every store and wire format keeps. */
    static Clock system() {
        return () -> Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
