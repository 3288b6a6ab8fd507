package dev.agentchat.domain.approval;

import dev.agentchat.domain.step.StepId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A run's pause for approval, as stored on the run: what any instance needs to go on with it once the
 * calls are decided, without the instance that paused it.
 *
 * @param round         the model call whose tool calls wait, from 1
 * @param pausedAtEvent the id of the last event the pausing instance numbered: who resumes numbers past it
 * @param expiresAt     when undecided calls count as denied
 * @param answerSoFar   the answer's text up to the pause
 * @param pending       the calls that wait, in the order the model asked for them
 * @param decisions     the decisions, once made (kept after the run goes on, so a repeated request is known)
 */
public record ApprovalRound(int round, long pausedAtEvent, Instant expiresAt, String answerSoFar, List<PendingCall> pending,
                            Map<StepId, ApprovalDecision> decisions) {
    public ApprovalRound {
        if (round < 1) {
            throw new IllegalArgumentException("rounds count from 1, was " + round);
        }
        if (pausedAtEvent < 0) {
            throw new IllegalArgumentException("event ids are not negative, was " + pausedAtEvent);
        }
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(answerSoFar, "answerSoFar");
        pending = List.copyOf(pending);
        if (pending.isEmpty()) {
            throw new IllegalArgumentException("a pause waits for at least one call");
        }
        decisions = Map.copyOf(new LinkedHashMap<>(decisions));
        Set<StepId> waiting = pending.stream().map(PendingCall::stepId).collect(Collectors.toSet());
        if (waiting.size() != pending.size()) {
            throw new IllegalArgumentException("each call waits once");
        }
        if (!waiting.containsAll(decisions.keySet())) {
            throw new IllegalArgumentException("only the calls that wait are decided");
        }
    }

    /** A pause with nothing decided yet. */
    public static ApprovalRound waiting(int round, long pausedAtEvent, Instant expiresAt, String answerSoFar,
                                        List<PendingCall> pending) {
        return new ApprovalRound(round, pausedAtEvent, expiresAt, answerSoFar, pending, Map.of());
    }

    /** True once every pending call has a decision. */
    public boolean isDecided() {
        return pending.stream().allMatch(call -> decisions.containsKey(call.stepId()));
    }

    /** True when the calls were left undecided until they expired (and counted as denied). */
    public boolean expiredUndecided() {
        return isDecided() && decisions.values().stream().allMatch(ApprovalDecision::expired);
    }

    /** True when {@code steps} are exactly this round's waiting calls. */
    public boolean namesItsCalls(Set<StepId> steps) {
        return steps.equals(pending.stream().map(PendingCall::stepId).collect(Collectors.toSet()));
    }

    /** The same round with {@code made} recorded. */
    public ApprovalRound decidedAs(Map<StepId, ApprovalDecision> made) {
        return new ApprovalRound(round, pausedAtEvent, expiresAt, answerSoFar, pending, made);
    }
}
