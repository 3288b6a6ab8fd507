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
    COMPLETED,
    FAILED,
    CANCELLED,
    INCOMPLETE;

    private static final Map<RunStatus, Set<RunStatus>> NEXT = Map.of(
            QUEUED, EnumSet.of(IN_PROGRESS, FAILED, CANCELLED),
            IN_PROGRESS, EnumSet.of(CANCELLING, COMPLETED, FAILED, CANCELLED, INCOMPLETE),
            // A cancelled run may still fail to record its end cleanly; it never completes after being asked to stop.
            CANCELLING, EnumSet.of(CANCELLED, FAILED),
            COMPLETED, EnumSet.noneOf(RunStatus.class),
            FAILED, EnumSet.noneOf(RunStatus.class),
            CANCELLED, EnumSet.noneOf(RunStatus.class),
            INCOMPLETE, EnumSet.noneOf(RunStatus.class));

    public boolean canMoveTo(RunStatus next) {
        return NEXT.get(this).contains(next);
    }

    /** True once the run can change no more. */
    public boolean isTerminal() {
        return NEXT.get(this).isEmpty();
    }
}
