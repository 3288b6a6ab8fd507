package dev.agentchat.ports.run;

import java.time.Duration;

/**
 * When a follower of a run executing on another instance next reads the event log: just after that
 * instance's next flush, rather than a whole flush interval after its own last read. The writer flushes
 * on a fixed cadence (see {@link RunWatch}), so a reader that has once seen a batch appear between two
 * reads a {@linkplain #step() step} apart knows the writer's phase, and reads one interval on.
 *
 * <p>Reading at the writer's interval from whenever the follower began, as it once did, added up to a
 * whole interval to every event's wait for the flush: a follower lagged up to two intervals (p95 near
 * 1.9 of them). Following the phase costs about the same reads: one per flush, and now and then one more.
 *
 * <p>The phase is found by reading every step for at most an interval after a batch is seen, and lost
 * again only when the writer's cadence moves (its flush fell behind, or another instance took the run
 * on): then reads that find a batch at the first try, tick after tick, may be late by any amount, so
 * each next read comes a little earlier ({@link #creep()}), until one comes too early and finds nothing;
 * the read a step later then sees the batch, tightly. A read that finds nothing is tried once more a
 * step later, in case the writer was a little late; if that finds nothing either, the writer had
 * nothing to write, and the next read waits for its next flush.
 *
 * <p>Readings are {@link dev.agentchat.ports.time.Clock#nanoTime()} values. Not thread-safe: one
 * follower's loop owns it.
 */
final class FlushCadence {
    /** First reads in a row that found a batch, after which the phase is looked for afresh (it may have moved). */
    private static final int HITS_BEFORE_LOOKING_AGAIN = 40;

    private final long interval;
    private final long step;
    private final long creep;
    /** Whether the writer's phase is known. */
    private boolean locked;
    /** The reading of the last read, 0 before the first. */
    private long lastRead;
    /** While looking for the phase: reading every step until this reading. */
    private long searchUntil;
    /** The first read of the current tick (locked only). */
    private long planned;
    /** Whether the current tick's first read found nothing and was tried again. */
    private boolean retried;
    private int hitsInARow;

    FlushCadence(Duration flushInterval) {
        this.interval = flushInterval.toNanos();
        // A step of a twelfth of the interval: about 20 ms at the default 250 ms, a small share of the lag,
        // and few reads while the phase is looked for.
        this.step = Math.max(1, interval / 12);
        // Two milliseconds a tick at the default 250 ms: well under the step, so that reading too early
        // costs one read more every few seconds, not every tick.
        this.creep = Math.max(1, interval / 125);
    }

    long step() {
        return step;
    }

    long creep() {
        return creep;
    }

    /** Whether the writer's phase is known. */
    boolean locked() {
        return locked;
    }

    /**
     * When to read next (a nanoTime reading), given that the read started at {@code readAt} found new
     * events ({@code found}) or none.
     */
    long nextRead(long readAt, boolean found) {
        boolean tight = lastRead != 0 && readAt - lastRead <= step + step / 2;
        lastRead = readAt;
        return locked ? whileLocked(readAt, found, tight) : whileSearching(readAt, found, tight);
    }

    private long whileSearching(long readAt, boolean found, boolean tight) {
        if (found && tight) {
            // The batch was written within the last step: the next is due an interval on.
            lock(readAt);
            return planned;
        }
        if (found || searchUntil == 0) {
            // A batch appeared at some time since the last read, or the follower has just begun: the
            // next batch appears within an interval, and reads a step apart see when.
            searchUntil = readAt + interval + step;
        }
        return readAt < searchUntil ? readAt + step : readAt + interval;
    }

    private long whileLocked(long readAt, boolean found, boolean tight) {
        if (found) {
            hitsInARow = tight || retried ? 0 : hitsInARow + 1;
            if (hitsInARow >= HITS_BEFORE_LOOKING_AGAIN) {
                // Many reads at once found a batch: the reads may have come long after the writes.
                locked = false;
                hitsInARow = 0;
                searchUntil = readAt + interval + step;
                return readAt + step;
            }
            lock(readAt);
            return planned;
        }
        if (!retried && readAt - planned < step) {
            retried = true;
            return readAt + step;
        }
        // Nothing written this tick: the next flush is due an interval after this one.
        retried = false;
        planned += interval;
        while (planned <= readAt) {
            planned += interval;
        }
        return planned;
    }

    private void lock(long readAt) {
        locked = true;
        retried = false;
        planned = readAt + interval - creep;
    }
}
