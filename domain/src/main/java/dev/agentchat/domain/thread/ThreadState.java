package dev.agentchat.domain.thread;

import static dev.agentchat.domain.thread.ThreadMove.CLAIM;
import static dev.agentchat.domain.thread.ThreadMove.DELETE;
import static dev.agentchat.domain.thread.ThreadMove.RELEASE;

import java.util.Map;
import java.util.Optional;

/**
 * Where a thread is in its life, as far as taking runs goes. It is not stored: a thread stores its
 * {@link ThreadStatus} and the run it was claimed for, and {@link ChatThread#state} reads this state
 * from them. The moves between states are the table in {@link #after}.
 */
public enum ThreadState {
    /** Takes a new run. */
    FREE,
    /** A run answers in it, or is being set up: it takes no second run until that one ends. */
    BUSY,
    /** Soft-deleted: kept and readable, it takes no new run. */
    DELETED;

    /*
     * A move missing from a state's row is refused: claiming a busy thread (ThreadBusy) or a deleted
     * one (ThreadDeleted). A thread deleted while a run answers in it keeps that run, whose end still
     * releases it; deleting a deleted thread again is allowed and changes nothing.
     */
    private static final Map<ThreadState, Map<ThreadMove, ThreadState>> NEXT = Map.of(
            FREE, Map.of(CLAIM, BUSY, DELETE, DELETED),
            BUSY, Map.of(RELEASE, FREE, DELETE, DELETED),
            DELETED, Map.of(RELEASE, DELETED, DELETE, DELETED));

    /** The state {@code move} leads to from this one, or empty when the move is refused here. */
    public Optional<ThreadState> after(ThreadMove move) {
        return Optional.ofNullable(NEXT.get(this).get(move));
    }
}
