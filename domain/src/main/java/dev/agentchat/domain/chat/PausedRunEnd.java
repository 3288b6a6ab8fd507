package dev.agentchat.domain.chat;

import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.step.StepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ending a run that waits for approval without going on: a user cancelled it, it has no working
 * time left, or its agent is gone. No instance works on it, so whoever ends it ends its waiting calls
 * too, and tells its followers in events numbered past every id used before the pause.
 *
 * @param run        the ended run
 * @param endedSteps its waiting calls, now cancelled (with the decision taken on each, if one was)
 * @param events     what followers are told: a {@code trace_end} per ended call, then the run's {@code error}
 */
public record PausedRunEnd(Run run, List<Step> endedSteps, List<RunEvent> events) {
    static final String STEP_CANCELLED = "The run was cancelled while this call waited for approval; it was not run.";
    static final String STEP_OUT_OF_TIME = "The run had no working time left when this call was decided; it was not run.";
    static final String STEP_AGENT_GONE = "The run's agent no longer exists, so this call was not run.";

    public PausedRunEnd {
        Objects.requireNonNull(run, "run");
        endedSteps = List.copyOf(endedSteps);
        events = List.copyOf(events);
    }

    /** A user cancelled {@code waiting}; {@code partialAnswer} keeps what it answered so far (null for nothing). */
    public static PausedRunEnd cancelled(Run waiting, List<Step> steps, MessageId partialAnswer,
                                         long lastEventId, Instant now) {
        requireWaiting(waiting);
        return of(waiting.cancel(RunFailure.CANCELLED, partialAnswer, waiting.usage(), now), steps, STEP_CANCELLED,
                Map.of(), lastEventId, now);
    }

    /** {@code waiting} was decided with no working time left: it ends incomplete, keeping what it answered. */
    public static PausedRunEnd outOfTime(Run waiting, RunFailure timeout, List<Step> steps, MessageId partialAnswer,
                                         long lastEventId, Instant now) {
        return outOfTime(waiting, timeout, Map.of(), steps, partialAnswer, lastEventId, now);
    }

    /**
     * As {@link #outOfTime(Run, RunFailure, List, MessageId, long, Instant)}, recording
     * {@code decided}, the decisions taken on its calls (or their expiry), on the run and on each call:
     * the same decisions sent again are known as a repeat.
     */
    public static PausedRunEnd outOfTime(Run waiting, RunFailure timeout, Map<StepId, ApprovalDecision> decided,
                                         List<Step> steps, MessageId partialAnswer, long lastEventId,
                                         Instant now) {
        requireWaiting(waiting);
        return of(waiting.endWaitingIncomplete(timeout, decided, partialAnswer, now), steps, STEP_OUT_OF_TIME, decided,
                lastEventId, now);
    }

    /**
     * The agent of {@code waiting} is gone, so nothing can go on with it: it ends incomplete
     * ({@code agent_not_found}), keeping what it answered, with {@code decided} recorded as
     * {@link #outOfTime(Run, RunFailure, Map, List, MessageId, long, Instant)} records them.
     */
    public static PausedRunEnd agentGone(Run waiting, Map<StepId, ApprovalDecision> decided, List<Step> steps,
                                         MessageId partialAnswer, long lastEventId, Instant now) {
        requireWaiting(waiting);
        return of(waiting.endWaitingIncomplete(RunFailure.AGENT_NOT_FOUND, decided, partialAnswer, now), steps,
                STEP_AGENT_GONE, decided, lastEventId, now);
    }

    private static void requireWaiting(Run run) {
        if (run.status() != RunStatus.REQUIRES_ACTION) {
            throw new IllegalArgumentException("run " + run.id() + " does not wait for approval; it is " + run.status());
        }
    }

    private static PausedRunEnd of(Transition<Run> end, List<Step> steps, String why,
                                   Map<StepId, ApprovalDecision> decided, long lastEventId, Instant now) {
        List<Step> ended = new ArrayList<>();
        List<ChatEvent> told = new ArrayList<>();
        for (Step step : steps) {
            if (step.status() == StepStatus.AWAITING_APPROVAL) {
                ApprovalDecision decision = decided.get(step.id());
                Transition<Step> stepEnd = decision == null ? step.cancel(why, now) : step.cancelDecided(why, decision, now);
                ended.add(stepEnd.state());
                told.addAll(stepEnd.events());
            }
        }
        told.addAll(end.events());
        return new PausedRunEnd(end.state(), ended, RunEvent.numberedAfter(lastEventId, told));
    }
}
