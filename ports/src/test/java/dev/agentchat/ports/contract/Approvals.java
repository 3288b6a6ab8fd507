package dev.agentchat.ports.contract;

import static dev.agentchat.ports.contract.Records.uniqueId;

import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.ApprovalVerdict;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Test data for runs and steps that paused for approval, made through the domain's own transitions;
 * every instant in whole milliseconds, as the stores must keep them.
 */
final class Approvals {
    static final Duration TIMEOUT = Duration.ofSeconds(900);
    static final UserId ADA = UserId.of("user-ada");
    static final Usage USAGE_SO_FAR = Usage.reported(321, 45);

    private Approvals() {
    }

    /** Two calls of the run's second model call that wait until {@code expiresAt}, with an answer begun. */
    static ApprovalRound twoCallsWaitingUntil(Instant expiresAt) {
        return ApprovalRound.waiting(2, 4_117, expiresAt, "Let me check \"both\" servers. ", List.of(
                new PendingCall(StepId.of(uniqueId("step")), 0, "call-restart", "restart_service", "{\"name\":\"api\"}"),
                new PendingCall(StepId.of(uniqueId("step")), 2, "call-calc", "calculator", "{\"expression\":\"6*7\"}")));
    }

    /** The client's own tool the runs of these tests offer: its schema as the client wrote it, spacing and all. */
    static final ToolDefinition GET_LOCATION = new ToolDefinition("get_location", "Where the user's browser is, \"roughly\".",
            "{ \"type\": \"object\",\n  \"properties\": {\"precise\": {\"type\": \"boolean\"}} }");

    /**
     * {@code running} paused at {@code pausedAt} for a call of the client's own tool, beside one that waits for
     * approval; they expire {@link #TIMEOUT} later.
     */
    static Run pausedForTheClient(Run running, Instant pausedAt) {
        ApprovalRound round = ApprovalRound.waiting(1, 12, pausedAt.plus(TIMEOUT), "", List.of(
                new PendingCall(StepId.of(uniqueId("step")), 0, "call-where", GET_LOCATION.name(), "{}", true),
                new PendingCall(StepId.of(uniqueId("step")), 1, "call-restart", "restart_service", "{\"name\":\"api\"}")));
        return running.awaitApproval(round, USAGE_SO_FAR, pausedAt).state();
    }

    /** The client's call answered with what its tool gave, the other call approved. */
    static Map<StepId, ApprovalDecision> clientAnsweredAndApproved(Run waiting, Instant now) {
        List<PendingCall> calls = waiting.approvals().pending();
        return Map.of(
                calls.get(0).stepId(), ApprovalDecision.ranByClient(ADA, null, "{\"city\":\"Lisbon\"}", now),
                calls.get(1).stepId(), ApprovalDecision.approved(ADA, null, null, now));
    }

    /** {@code running} paused at {@code pausedAt} for two calls that expire {@link #TIMEOUT} later. */
    static Run paused(Run running, Instant pausedAt) {
        return running.awaitApproval(twoCallsWaitingUntil(pausedAt.plus(TIMEOUT)), USAGE_SO_FAR, pausedAt).state();
    }

    /** The first waiting call approved with the person's own arguments and a reason, the second denied. */
    static Map<StepId, ApprovalDecision> approvedAndDenied(Run waiting, Instant now) {
        List<PendingCall> calls = waiting.approvals().pending();
        return Map.of(
                calls.get(0).stepId(), ApprovalDecision.approved(ADA, "only the api", "{\"name\":\"api\",\"grace\":30}", now),
                calls.get(1).stepId(), ApprovalDecision.denied(ADA, null, now));
    }

    static Run accepted(ApprovalVerdict verdict) {
        return switch (verdict) {
            case ApprovalVerdict.Accepted accepted -> accepted.transition().state();
            case ApprovalVerdict.Repeated repeated -> throw new AssertionError("decided already: " + repeated.run());
        };
    }
}
