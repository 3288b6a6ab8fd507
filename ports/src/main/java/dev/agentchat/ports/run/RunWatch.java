package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.Interruption;
import dev.agentchat.domain.run.RunLimits;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.time.Clock;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

/**
 * The watch beside a live run, on a virtual thread of its own: it keeps the run's limits (longest
 * duration, model silence), writes the run's events to the log every flush interval, looks in the
 * store for a cancel asked of another instance, and retires the run once its last events are logged.
 * It wakes only when one of those is due, or when the run ends.
 */
final class RunWatch implements Runnable {
    private static final System.Logger LOG = System.getLogger(RunWatch.class.getName());
    /** At least a millisecond between wake-ups: a deadline already past must not turn the watch into a spin. */
    private static final long MIN_WAIT_NANOS = 1_000_000;

    private final LiveRun live;
    private final LiveRuns owner;
    private final RunSettings settings;
    private final RunLogWriter writer;
    private final Clock clock;
    private final RunLimits limits;

    RunWatch(LiveRun live, LiveRuns owner) {
        this.live = live;
        this.owner = owner;
        this.settings = owner.settings();
        this.clock = owner.clock();
        this.limits = new RunLimits(settings.maxRunDuration(), settings.modelIdleTimeout());
        this.writer = new RunLogWriter(live, owner.log(), owner.clock(), settings.eventRetention());
    }

    @Override
    public void run() {
        long flushEvery = settings.eventFlushInterval().toNanos();
        long checkEvery = settings.cancelCheckInterval().toNanos();
        // A resumed run may work only for what its earlier stretches left of the longest run.
        long deadline = live.startedNanos() + settings.maxRunDuration().minus(live.workedBefore()).toNanos();
        long idleLimit = settings.modelIdleTimeout().toNanos();
        long nextFlush = clock.nanoTime() + flushEvery;
        long nextCheck = clock.nanoTime() + checkEvery;
        try {
            while (true) {
                boolean stopping = live.isStopping();
                long wake = Math.min(nextFlush, nextCheck);
                if (!stopping) {
                    wake = Math.min(wake, deadline);
                    long quietSince = live.modelQuietSince();
                    if (quietSince != 0) {
                        wake = Math.min(wake, quietSince + idleLimit);
                    }
                }
                if (live.awaitOverUntil(Math.max(wake, clock.nanoTime() + MIN_WAIT_NANOS))) {
                    try (Observation.Scope ofTheRun = live.watchedHere()) {
                        writer.flushLast();
                    }
                    return;
                }
                long now = clock.nanoTime();
                if (now >= nextFlush) {
                    try (Observation.Scope ofTheRun = live.watchedHere()) {
                        writer.flush();
                    }
                    // On a fixed cadence from the run's start, not an interval after each flush: followers on
                    // other instances read just after a flush is due (FlushCadence), and a cadence that slipped
                    // by each wake-up's delay would leave them reading too early. One that fell behind a whole
                    // interval (a slow write) starts again from now rather than flushing twice at once.
                    nextFlush += flushEvery;
                    if (nextFlush <= now) {
                        nextFlush = now + flushEvery;
                    }
                }
                if (!stopping) {
                    keepLimits(now);
                }
                if (now >= nextCheck) {
                    try (Observation.Scope ofTheRun = live.watchedHere()) {
                        checkForCancel();
                    }
                    nextCheck = now + checkEvery;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "The watch of run " + live.runId() + " failed", e);
        } finally {
            live.retire();
        }
    }

    private void keepLimits(long now) {
        long quietSince = live.modelQuietSince();
        limits.passedBy(Duration.ofNanos(now - live.startedNanos()).plus(live.workedBefore()),
                        quietSince == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(now - quietSince)))
                .ifPresent(live::interrupt);
    }

    /** A cancel asked of another instance is only in the store: the run looks there now and then. */
    private void checkForCancel() {
        try {
            owner.runs().find(live.threadId(), live.runId())
                    .filter(stored -> stored.status() == RunStatus.CANCELLING)
                    .ifPresent(stored -> live.interrupt(Interruption.cancelled()));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Could not look for a cancel of run " + live.runId(), e);
        }
    }
}
