package dev.agentchat.adapter.cosmos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.approval.Approval;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.UserId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a run's pause for approval and a step's approval are kept in their documents: plain objects,
 * instants as epoch milliseconds like every other instant of the stores. A document written before
 * approvals existed has none of these members, and reads back as a run or step that needed none.
 * What belongs to calls of the client's own tools ({@code clientSide}, a decision's {@code output}) is
 * written only for such calls, so a document written before them reads back as calls that wait for approval.
 */
final class ApprovalDocuments {
    private ApprovalDocuments() {
    }

    static JsonNode toDocument(ApprovalRound round) {
        if (round == null) {
            return NullNode.getInstance();
        }
        ObjectNode doc = Documents.JSON.createObjectNode();
        doc.put("round", round.round());
        doc.put("pausedAtEvent", round.pausedAtEvent());
        Documents.putInstant(doc, "expiresAt", round.expiresAt());
        doc.put("answerSoFar", round.answerSoFar());
        ArrayNode pending = doc.putArray("pending");
        for (PendingCall call : round.pending()) {
            ObjectNode waiting = pending.addObject().put("stepId", call.stepId().value()).put("position", call.position())
                    .put("callId", call.callId()).put("tool", call.tool()).put("arguments", call.arguments());
            if (call.clientSide()) {
                waiting.put("clientSide", true);
            }
        }
        ObjectNode decisions = doc.putObject("decisions");
        // In the order of the calls, so that the same round is always the same document.
        for (PendingCall call : round.pending()) {
            ApprovalDecision decision = round.decisions().get(call.stepId());
            if (decision != null) {
                decisions.set(call.stepId().value(), toDocument(decision));
            }
        }
        return doc;
    }

    static ApprovalRound round(JsonNode doc) {
        if (doc == null || doc.isNull()) {
            return null;
        }
        List<PendingCall> pending = new ArrayList<>();
        doc.get("pending").forEach(call -> pending.add(new PendingCall(StepId.of(Documents.text(call, "stepId")),
                call.get("position").asInt(), Documents.text(call, "callId"), Documents.text(call, "tool"),
                Documents.text(call, "arguments"), flag(call, "clientSide"))));
        Map<StepId, ApprovalDecision> decisions = new LinkedHashMap<>();
        doc.get("decisions").fields().forEachRemaining(entry ->
                decisions.put(StepId.of(entry.getKey()), decision(entry.getValue())));
        return new ApprovalRound(doc.get("round").asInt(), doc.get("pausedAtEvent").asLong(),
                Documents.instant(doc, "expiresAt"), Documents.text(doc, "answerSoFar"), pending, decisions);
    }

    static JsonNode toDocument(Approval approval) {
        if (approval == null) {
            return NullNode.getInstance();
        }
        ObjectNode doc = Documents.JSON.createObjectNode();
        Documents.putInstant(doc, "expiresAt", approval.expiresAt());
        doc.set("decision", approval.decision() == null ? NullNode.getInstance() : toDocument(approval.decision()));
        if (approval.clientSide()) {
            doc.put("clientSide", true);
        }
        return doc;
    }

    static Approval approval(JsonNode doc) {
        if (doc == null || doc.isNull()) {
            return null;
        }
        JsonNode decision = doc.get("decision");
        return new Approval(Documents.instant(doc, "expiresAt"),
                decision == null || decision.isNull() ? null : decision(decision), flag(doc, "clientSide"));
    }

    private static ObjectNode toDocument(ApprovalDecision decision) {
        ObjectNode doc = Documents.JSON.createObjectNode();
        doc.put("approved", decision.approved());
        doc.put("reason", decision.reason());
        doc.put("arguments", decision.arguments());
        doc.put("decidedBy", decision.decidedBy() == null ? null : decision.decidedBy().value());
        Documents.putInstant(doc, "decidedAt", decision.decidedAt());
        doc.put("expired", decision.expired());
        if (decision.output() != null) {
            doc.put("output", decision.output());
        }
        return doc;
    }

    private static ApprovalDecision decision(JsonNode doc) {
        String decidedBy = Documents.text(doc, "decidedBy");
        return new ApprovalDecision(doc.get("approved").asBoolean(), Documents.text(doc, "reason"),
                Documents.text(doc, "arguments"), decidedBy == null ? null : UserId.of(decidedBy),
                Documents.instant(doc, "decidedAt"), doc.get("expired").asBoolean(), Documents.text(doc, "output"));
    }

    /** A member written only when true: absent, in a document written before it or for another kind of call, is false. */
    private static boolean flag(JsonNode doc, String member) {
        JsonNode value = doc.get(member);
        return value != null && value.asBoolean();
    }
}
