package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import java.util.List;

/**
 * Keeps the numbered events of runs for a while, so that a client that lost its stream (or one
 * served by another instance) can catch up on what it missed.
 */
public interface EventLog {

    /**
     * Keeps a run's next events, in sequence order, until at least {@code keepUntil}. Events are
     * appended in batches that continue the run's sequence; a batch that repeats a kept sequence,
     * and a batch that ends the run once its end is kept, are a
     * {@link dev.agentchat.ports.store.RecordConflict}, and nothing of them is kept.
     */
    default void append(ThreadId threadId, RunId runId, List<RunEvent> events, Instant keepUntil) {
        append(threadId, runId, events, events.isEmpty() ? 0 : events.getLast().sequence(), keepUntil);
    }

    /**
     * As {@link #append(ThreadId, RunId, List, Instant)}, and records with the batch that the run's
     * instance may send ids up to {@code reservedThrough} (never less than the batch's last sequence):
     * whoever ends the run after the instance is gone numbers the end past it. An empty batch is ignored.
     */
    void append(ThreadId threadId, RunId runId, List<RunEvent> events, long reservedThrough, Instant keepUntil);

    /** What the log holds of the run's numbering ({@link LoggedEvents#NONE} when nothing): its last event and reservation. */
    LoggedEvents logged(ThreadId threadId, RunId runId);

    /**
     * The run's kept events numbered after {@code after}, oldest first, at most {@code limit} of
     * them; events whose time is up by {@code now} are not returned.
     */
    List<RunEvent> readAfter(ThreadId threadId, RunId runId, long after, int limit, Instant now);

    /** Forgets every event of the thread's runs; how many batches there were. */
    int deleteByThread(ThreadId threadId);
}
