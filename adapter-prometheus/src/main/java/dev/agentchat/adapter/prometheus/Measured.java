package dev.agentchat.adapter.prometheus;

import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One piece of work being measured: the time from its begin to its end, and to its first chunk for a
 * model call; what is recorded of it is its {@link Ending}'s business. Nothing here is current on a
 * thread: metrics need no parent, so {@link #makeCurrent} and {@link #link} are the defaults.
 */
final class Measured implements Observation {
    private static final System.Logger LOG = System.getLogger(Measured.class.getName());
    /** A failure to record is logged once, not once a call: the same fault would flood the log. */
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final Clock clock;
    private final long begunAt;
    private final Ending ending;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** When the first chunk came, in the clock's monotonic nanoseconds; 0 until then. */
    private volatile long firstChunkAt;

    Measured(Clock clock, Ending ending) {
        this.clock = clock;
        this.begunAt = clock.monotonicTime();
        this.ending = ending;
    }

    @Override
    public void firstChunk() {
        // Called once a model call, not once a token; a second call keeps the first time.
        if (firstChunkAt == 0) {
            firstChunkAt = Math.max(1, clock.monotonicTime());
        }
    }

    @Override
    public void end(Outcome outcome) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        long now = clock.monotonicTime();
        long firstChunk = firstChunkAt;
        Took took = new Took(Duration.ofNanos(now - begunAt),
                firstChunk == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(firstChunk - begunAt)));
        try {
            ending.ended(outcome, took);
        } catch (RuntimeException e) {
            warnOnce(e);
        }
    }

    /** Watching the work must not change it: a fault of the metrics is logged, never thrown. */
    static void warnOnce(RuntimeException e) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "A metric could not be recorded; later failures are not logged", e);
        }
    }

    /** What is recorded when the work ends. */
    @FunctionalInterface
    interface Ending {
        void ended(Outcome outcome, Took took);
    }

    /** How long the work took, and how long until its first chunk if it had one. */
    record Took(Duration total, Optional<Duration> firstChunk) {
    }
}
