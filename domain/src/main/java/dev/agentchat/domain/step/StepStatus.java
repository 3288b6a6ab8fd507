package dev.agentchat.domain.step;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Where a step is in its life. The legal moves are the table in {@link #canMoveTo}. */
public enum StepStatus {
    /**
     * A tool call that waits for a person to approve it before it runs, or for the result of the client
     * that runs it (a call of one of the client's own tools), which then completes it.
     */
    AWAITING_APPROVAL,
    IN_PROGRESS,
    COMPLETED,
    FAILED,
    CANCELLED,
    /** A tool call a person denied, or nobody approved in time: it was never run. */
    DENIED;

    private static final Map<StepStatus, Set<StepStatus>> NEXT = Map.of(
            AWAITING_APPROVAL, EnumSet.of(IN_PROGRESS, COMPLETED, DENIED, CANCELLED, FAILED),
            IN_PROGRESS, EnumSet.of(COMPLETED, FAILED, CANCELLED),
            COMPLETED, EnumSet.noneOf(StepStatus.class),
            FAILED, EnumSet.noneOf(StepStatus.class),
            CANCELLED, EnumSet.noneOf(StepStatus.class),
            DENIED, EnumSet.noneOf(StepStatus.class));

    public boolean canMoveTo(StepStatus next) {
        return NEXT.get(this).contains(next);
    }

    public boolean isTerminal() {
        return NEXT.get(this).isEmpty();
    }

    /** The lower-case name clients see in trace events. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
