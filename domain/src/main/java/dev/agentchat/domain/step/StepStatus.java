package dev.agentchat.domain.step;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Where a step is in its life. The legal moves are the table in {@link #canMoveTo}. */
public enum StepStatus {
    IN_PROGRESS,
    COMPLETED,
    FAILED,
    CANCELLED;

    private static final Map<StepStatus, Set<StepStatus>> NEXT = Map.of(
            IN_PROGRESS, EnumSet.of(COMPLETED, FAILED, CANCELLED),
            COMPLETED, EnumSet.noneOf(StepStatus.class),
            FAILED, EnumSet.noneOf(StepStatus.class),
            CANCELLED, EnumSet.noneOf(StepStatus.class));

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
