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
 * 1.9 of them). Following the phase costs a little more: a read per flush and now and then one more
 * while the run writes, two per flush while it does not (five for the first such flush), and about a
 * dozen while the phase is looked for (see {@code bench/results/follow.md} for what that comes to).
 *
 * <p>The phase is found by reading every step for at most an interval, from when the follower begins
 * and again whenever a batch is seen before the phase is known; it is lost
 * again only when the writer's cadence moves (its flush fell behind, or another instance took the run
 * on): then reads that find a batch at the first try, tick after tick, may be late by any amount, so
 * each next read comes a little earlier ({@link #creep()}), until one comes too early and finds nothing;
 * the read a step later then sees the batch, tightly. A read that finds nothing is tried again a few
 * times (a step, a step, two steps, two steps later), in case that write was slower than most, without
 * moving the cadence; if none finds anything, the writer had nothing to write, the next read waits for
 * its next flush, and while ticks stay empty each is tried only once more.
 *
 * <p>Readings are {@link dev.agentchat.ports.time.Clock#nanoTime()} values. Not thread-safe: one
 * follower's loop owns it.
 */
final class FlushCadence {
    /** First reads in a row that found a batch, after which the phase is looked for afresh (it may have moved). */
    private static final int HITS_BEFORE_LOOKING_AGAIN = 40;
    /** Reads after the first of a tick that finds nothing, while the writer writes: a step, a step, two, two. */
    private static final int RETRIES_WHILE_WRITING = 4;
    /** Ticks in a row whose batch came late after which the writer's cadence is taken to have moved. */
    private static final int LATE_BEFORE_MOVING = 3;
    /**
     * Batches seen while looking for the phase, none of them tightly, after which the follower stops looking and
     * reads once an interval: reads slower than a step (a store far away, or throttled) never see a batch appear
     * between two reads a step apart, and looking on would read back to back for as long as the run lasts.
     */
    private static final int LOOSE_FINDS_BEFORE_GIVING_UP = 8;

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
    /** Reads of the current tick after its first found nothing. */
    private int retries;
    /** Whether the last tick had no batch: the writer may be idle (a tool call, a slow model). */
    private boolean quiet;
    /** First reads in a row that found a batch. */
    private int hitsInARow;
    /** Ticks in a row whose batch was found only at a second retry or later. */
    private int lateInARow;
    /** Batches seen while looking for the phase, not tightly, since it was last known. */
    private int looseFinds;
    /** Whether the follower gave looking for the phase up, and reads once an interval. */
    private boolean plain;

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

    /**
     * When to read next (a nanoTime reading), given that the read started at {@code readAt} found new
     * events ({@code found}) or none.
     */
    long nextRead(long readAt, boolean found) {
        boolean tight = lastRead != 0 && readAt - lastRead <= step + step / 2;
        lastRead = readAt;
        if (plain) {
            return readAt + interval;
        }
        return locked ? whileLocked(readAt, found) : whileSearching(readAt, found, tight);
    }

    private long whileSearching(long readAt, boolean found, boolean tight) {
        if (found && tight) {
            // The batch was written within the last step: the next is due an interval on.
            lock(readAt);
            return planned;
        }
        if (found && ++looseFinds > LOOSE_FINDS_BEFORE_GIVING_UP) {
            plain = true;
            return readAt + interval;
        }
        if (found || searchUntil == 0) {
            // A batch appeared at some time since the last read, or the follower has just begun: the
            // next batch appears within an interval, and reads a step apart see when.
            searchUntil = readAt + interval + step;
        }
        return readAt < searchUntil ? readAt + step : readAt + interval;
    }

    private long whileLocked(long readAt, boolean found) {
        if (!found) {
            // A write may be slower than most: while batches come, a tick that seems empty is looked at a few
            // times more, a step and then two apart; once ticks come empty, the writer is likely idle.
            if (retries < (quiet ? 1 : RETRIES_WHILE_WRITING)) {
                retries++;
                return readAt + step * (1 + (retries - 1) / 2);
            }
            retries = 0;
            quiet = true;
            return nextTick(readAt, planned + interval);
        }
        long next;
        if (retries == 0) {
            // Found at the first read: perhaps long after it appeared, so the next read comes a little earlier.
            next = planned + interval - creep;
            lateInARow = 0;
            if (++hitsInARow >= HITS_BEFORE_LOOKING_AGAIN) {
                // Many first reads in a row found a batch: they may all come long after the writes.
                locked = false;
                hitsInARow = 0;
                searchUntil = readAt + interval + step;
                return readAt + step;
            }
        } else if (retries == 1 || ++lateInARow >= LATE_BEFORE_MOVING) {
            // Appeared within the last step (or late tick after tick: the writer's cadence moved).
            next = readAt + interval - creep;
            hitsInARow = 0;
            lateInARow = 0;
        } else {
            // One write slower than the others: the writer's cadence is where it was.
            next = planned + interval;
            hitsInARow = 0;
        }
        retries = 0;
        quiet = false;
        return nextTick(readAt, next);
    }

    /** Makes {@code next} the first read of the next tick, an interval later if it is not after {@code readAt}. */
    private long nextTick(long readAt, long next) {
        planned = next;
        while (planned <= readAt) {
            planned += interval;
        }
        return planned;
    }

    private void lock(long readAt) {
        locked = true;
        looseFinds = 0;
        retries = 0;
        quiet = false;
        hitsInARow = 0;
        lateInARow = 0;
        planned = readAt + interval - creep;
    }
}
