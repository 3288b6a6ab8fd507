package dev.agentchat.ports.run;

import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.time.Signal;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;

/**
 * Ends the runs that stopped instances (this one before a restart, or others sharing the store) left
 * unfinished: once at start, then every {@code every} as the {@link Clock} counts it, until closed. It
 * owns the one thread it starts, and {@link #close()} ends it.
 */
public final class RecoverySweep implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RecoverySweep.class.getName());

    private final RunRecovery recovery;
    private final Clock clock;
    private final Duration every;
    private final Signal changed;
    private volatile boolean stopping;
    private volatile boolean stopped;
    private final Thread thread;

    private RecoverySweep(RunRecovery recovery, Clock clock, Duration every) {
        this.recovery = Objects.requireNonNull(recovery, "recovery");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.every = Objects.requireNonNull(every, "every");
        this.changed = clock.newSignal();
        this.thread = Thread.ofVirtual().name("run-recovery").unstarted(this::sweep);
    }

    /** Starts sweeping now, and then every {@code every}. */
    public static RecoverySweep start(RunRecovery recovery, Clock clock, Duration every) {
        RecoverySweep sweep = new RecoverySweep(recovery, clock, every);
        sweep.thread.start();
        return sweep;
    }

    /**
     * Starts sweeping now, and then every {@code every}, running each of {@code tasks} (each says how
     * many runs it ended or moved on): recovering abandoned runs, expiring undecided approvals.
     */
    public static RecoverySweep start(Clock clock, Duration every, java.util.function.IntSupplier... tasks) {
        throw new UnsupportedOperationException("a sweep of several tasks is not built yet");
    }

    /** Whether the sweep's thread has ended. */
    public boolean isStopped() {
        return stopped;
    }

    private void sweep() {
        try {
            do {
                try {
                    int ended = recovery.recoverAbandoned();
                    if (ended > 0) {
                        LOG.log(Level.INFO, "Ended {0} runs abandoned by a stopped instance", ended);
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Could not look for abandoned runs", e);
                }
            } while (!awaitStopping(clock.nanoTime() + every.toNanos()));
        } finally {
            stopped = true;
            changed.signal();
        }
    }

    private boolean awaitStopping(long deadline) {
        try {
            return changed.awaitUntil(() -> stopping, deadline);
        } catch (InterruptedException e) {
            return true;
        }
    }

    /** Tells the sweep to start no new look; one under way finishes. It does not wait: {@link #stop} does. */
    public void requestStop() {
        stopping = true;
        changed.signal();
    }

    /**
     * Stops the sweep and waits up to {@code patience} for it to end; one still busy with the store then
     * is interrupted, so that it never outlives what it uses (the store's client, closed next).
     */
    public void stop(Duration patience) {
        requestStop();
        try {
            if (!changed.awaitUntil(() -> stopped, clock.nanoTime() + patience.toNanos())) {
                LOG.log(Level.WARNING, "The search for abandoned runs did not stop in time: interrupting it");
                thread.interrupt();
                changed.awaitUntil(() -> stopped, clock.nanoTime() + patience.toNanos());
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the sweep, waiting up to five seconds for a sweep under way. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
