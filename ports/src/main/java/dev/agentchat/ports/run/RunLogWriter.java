package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.time.Clock;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/**
 * Writes a live run's events to the event log in batches, each event once. A batch the log refused
 * is written again with the same bounds before anything newer: if its first write went through after
 * all, the second is refused as a duplicate and the batch counts as kept, which only holds when its
 * bounds are the same. Each batch also records the event ids the run may send, and only a kept batch
 * lets followers have more of them. Used by the run's watch thread alone.
 */
final class RunLogWriter {
    private static final System.Logger LOG = System.getLogger(RunLogWriter.class.getName());
    /** Tries of the last write before the run's last events are given up for other instances. */
    private static final int LAST_FLUSH_TRIES = 3;

    private final LiveRun live;
    private final EventLog log;
    private final Clock clock;
    private final Duration retention;
    private int logged;
    private Batch failedBatch;
    /**
     * Someone else logged the run's end (a follower, or recovery, that took this instance for gone): the
     * log is theirs from there, and nothing more is written or reserved here.
     */
    private boolean superseded;

    /** Events to write, and the reservation they record. */
    private record Batch(List<RunEvent> events, long reservedThrough) {
    }

    RunLogWriter(LiveRun live, EventLog log, Clock clock, Duration retention) {
        this.live = live;
        this.log = log;
        this.clock = clock;
        this.retention = retention;
    }

    /** Writes the events not yet in the log; false when the log refused them (they are tried again next time). */
    boolean flush() {
        if (superseded) {
            return true;
        }
        if (failedBatch != null) {
            if (endLoggedElsewhere()) {
                superseded = true;
                return true;
            }
            if (!write(failedBatch)) {
                return false;
            }
            failedBatch = null;
            if (superseded) {
                return true;
            }
        }
        List<RunEvent> unlogged = live.eventsFrom(logged);
        Batch next = new Batch(unlogged, unlogged.isEmpty() ? 0
                : live.reservationToRecordWith(unlogged.getLast().sequence()));
        if (!write(next)) {
            failedBatch = next;
            return false;
        }
        return true;
    }

    /** The run is over: writes what is left, trying a few times, since other instances depend on it. */
    void flushLast() throws InterruptedException {
        for (int attempt = 1; attempt <= LAST_FLUSH_TRIES; attempt++) {
            if (flush()) {
                return;
            }
            clock.sleep(Duration.ofMillis(100L * attempt * attempt));
        }
        LOG.log(Level.WARNING, "The last events of run {0} are not in the event log; other instances cannot replay them",
                live.runId());
    }

    private boolean write(Batch batch) {
        if (batch.events().isEmpty()) {
            return true;
        }
        try {
            log.append(live.threadId(), live.runId(), batch.events(), batch.reservedThrough(), clock.now().plus(retention));
        } catch (RecordConflict e) {
            if (!keptAlready(batch)) {
                // The ids are someone else's: raising the reservation now could send one of them twice.
                LOG.log(Level.WARNING, "The event log of run {0} was ended by another instance; it is left as it is",
                        live.runId());
                superseded = true;
                return true;
            }
            // An earlier write of this very batch went through although its caller did not hear so.
            LOG.log(Level.DEBUG, "Events of run {0} were in the log already", live.runId());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not keep " + batch.events().size() + " events of run " + live.runId()
                    + " in the event log", e);
            return false;
        }
        logged += batch.events().size();
        live.reserved(batch.reservedThrough());
        return true;
    }

    /** Whether the log holds this very batch: its first event, read back, is the one written. */
    private boolean keptAlready(Batch batch) {
        RunEvent first = batch.events().getFirst();
        try {
            List<RunEvent> stored = log.readAfter(live.threadId(), live.runId(), first.sequence() - 1, 1, clock.now());
            return !stored.isEmpty() && stored.getFirst().equals(first);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether, while this instance could not write, the log got an end this instance did not write: a
     * follower or recovery logs one once the run seems gone, and a late write here would give its id a
     * second event. The end is this instance's only if the batch it failed to write ends the run and was
     * kept after all. A log that cannot be read is taken as not ended: the write is tried as before.
     */
    private boolean endLoggedElsewhere() {
        try {
            if (!log.logged(live.threadId(), live.runId()).endLogged()) {
                return false;
            }
            return !(failedBatch.events().getLast().isLast() && keptAlready(failedBatch));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
