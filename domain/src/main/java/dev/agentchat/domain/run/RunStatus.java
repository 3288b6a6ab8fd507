package dev.agentchat.domain.run;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Where a run is in its life. The legal moves between statuses are the table in {@link #canMoveTo}. */
public enum RunStatus {
    QUEUED,
    IN_PROGRESS,
    /** Asked to stop: the run is closing its model stream and tools, and ends cancelled. */
    CANCELLING,
    /**
     * Paused until a person approves or denies the tool calls it asked for: no instance works on it,
     * what it needs to go on is stored, and it still holds its thread.
     */
    REQUIRES_ACTION,
    COMPLETED,
    FAILED,
    CANCELLED,
    INCOMPLETE;

    private static final Map<RunStatus, Set<RunStatus>> NEXT = Map.of(
            QUEUED, EnumSet.of(IN_PROGRESS, FAILED, CANCELLED),
            IN_PROGRESS, EnumSet.of(CANCELLING, COMPLETED, FAILED, CANCELLED, INCOMPLETE, REQUIRES_ACTION),
            // No instance works on a waiting run, so a cancel ends it at once rather than asking it to stop.
            REQUIRES_ACTION, EnumSet.of(IN_PROGRESS, CANCELLED, INCOMPLETE),
            // A cancelled run may still fail to record its end cleanly; it never completes after being asked to stop.
            CANCELLING, EnumSet.of(CANCELLED, FAILED),
            COMPLETED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            CANCELLED, EnumSet.noneOf(RunStatus.class),
            INCOMPLETE, EnumSet.noneOf(RunStatus.class));

    public boolean canMoveTo(RunStatus next) {
        return NEXT.get(this).contains(next);
    }

    /** True while an instance works on the run (or is about to): not once it waits for a person, nor once it ended. */
    public boolean isWorking() {
        return this == QUEUED || this == IN_PROGRESS || this == CANCELLING;
    }

    /** True once the run can change no more. */
    public boolean isTerminal() {
        return NEXT.get(this).isEmpty();
    }
}
