package dev.agentchat.ports.run;

import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.time.Signal;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Ends the runs that stopped instances (this one before a restart, or others sharing the store) left
 * unfinished, and moves on runs whose approvals expired: once at start, then every {@code every} as
 * the {@link Clock} counts it, until closed. It owns the one thread it starts, and {@link #close()} ends it.
 */
public final class RecoverySweep implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RecoverySweep.class.getName());

    /** What each sweep does, in order; each says how many runs it ended or moved on. */
    private final List<IntSupplier> tasks;
    private final Clock clock;
    private final Duration every;
    private final Signal changed;
    private volatile boolean stopping;
    private volatile boolean stopped;
    private final Thread thread;

    private RecoverySweep(Clock clock, Duration every, List<IntSupplier> tasks) {
        this.tasks = List.copyOf(tasks);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.every = Objects.requireNonNull(every, "every");
        this.changed = clock.newSignal();
        this.thread = Thread.ofVirtual().name("run-recovery").unstarted(this::sweep);
    }

    /** Starts sweeping now, and then every {@code every}. */
    public static RecoverySweep start(RunRecovery recovery, Clock clock, Duration every) {
        Objects.requireNonNull(recovery, "recovery");
        return start(clock, every, recovery::recoverAbandoned);
    }

    /**
     * Starts sweeping now, and then every {@code every}, running each of {@code tasks} (each says how
     * many runs it ended or moved on): recovering abandoned runs, expiring undecided approvals.
     */
    public static RecoverySweep start(Clock clock, Duration every, IntSupplier... tasks) {
        RecoverySweep sweep = new RecoverySweep(clock, every, List.of(tasks));
        sweep.thread.start();
        return sweep;
    }

    /** Whether the sweep's thread has ended. */
    public boolean isStopped() {
        return stopped;
    }

    private void sweep() {
        try {
            do {
                for (IntSupplier task : tasks) {
                    if (stopping) {
                        break;   // a task may start runs (an expiry resumes one): none once the instance stops
                    }
                    runOnce(task);
                }
            } while (!awaitStopping(clock.nanoTime() + every.toNanos()));
        } finally {
            stopped = true;
            changed.signal();
        }
    }

    /** Runs one task of the sweep; a task that fails is tried again next sweep and keeps no other from running. */
    private static void runOnce(IntSupplier task) {
        try {
            int moved = task.getAsInt();
            if (moved > 0) {
                LOG.log(Level.INFO, "The sweep ended or moved on {0} runs", moved);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A task of the sweep failed; it runs again at the next sweep", e);
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
                LOG.log(Level.WARNING, "The sweep for abandoned runs and expired approvals did not stop in time: interrupting it");
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
