package dev.agentchat.adapter.http.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.JsonRequests;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.ports.chat.ApprovalChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The body of a decision on a run's waiting tool calls:
 * {@code {"decisions": [{"step_id": "...", "approved": true, "reason": "...", "arguments": {...}}]}}; a call of
 * the client's own tool is answered with what the tool gave, {@code "output": "..."}.
 * Members this version does not know are ignored, so that newer clients keep working. Whether the
 * decisions answer the run's pause (each waiting call once, no other) is the run's to judge, not the body's.
 */
record ApprovalsRequest(List<ApprovalChoice> choices) {
    /** More decisions than this cannot answer one pause: a model call asks for far fewer tool calls. */
    static final int MAX_DECISIONS = 64;

    /** The members as sent: each may be absent or null. */
    private record Body(List<Decision> decisions) {
    }

    /** One decision as sent; {@code arguments} is kept as a tree so that any JSON value can be judged. */
    private record Decision(String stepId, Boolean approved, String reason, JsonNode arguments, JsonNode output) {
    }

    static ApprovalsRequest from(JsonNode json) {
        Body body = JsonRequests.bind(json, Body.class);
        if (body.decisions() == null) {
            throw invalid("'decisions' is required.");
        }
        if (body.decisions().isEmpty()) {
            throw invalid("'decisions' must decide at least one tool call.");
        }
        if (body.decisions().size() > MAX_DECISIONS) {
            throw invalid("'decisions' may hold at most " + MAX_DECISIONS + " decisions.");
        }
        List<ApprovalChoice> choices = new ArrayList<>(body.decisions().size());
        for (int i = 0; i < body.decisions().size(); i++) {
            choices.add(choice(body.decisions().get(i), "decisions[" + i + "]"));
        }
        return new ApprovalsRequest(List.copyOf(choices));
    }

    private static ApprovalChoice choice(Decision decision, String at) {
        if (decision == null) {
            throw invalid("'" + at + "' must be an object.");
        }
        StepId stepId = stepId(decision.stepId(), at + ".step_id");
        if (decision.approved() == null) {
            throw invalid("'" + at + ".approved' is required: true to run the call, false to deny it.");
        }
        String reason = decision.reason();
        if (reason != null && reason.length() > ApprovalDecision.MAX_REASON_LENGTH) {
            throw invalid("'" + at + ".reason' may be at most " + ApprovalDecision.MAX_REASON_LENGTH
                    + " characters, was " + reason.length() + ".");
        }
        Optional<String> arguments = arguments(decision.arguments(), at + ".arguments");
        if (!decision.approved() && arguments.isPresent()) {
            throw invalid("'" + at + ".arguments' is for an approved call; a denied call is not run.");
        }
        Optional<String> output = output(decision.output(), at + ".output");
        if (output.isPresent() && (!decision.approved() || arguments.isPresent())) {
            throw invalid("'" + at + ".output' is what the client's tool gave when it ran the call with the model's"
                    + " arguments: not for a declined call, nor with 'arguments'.");
        }
        return new ApprovalChoice(stepId, decision.approved(), Optional.ofNullable(reason), arguments, output);
    }

    private static StepId stepId(String id, String member) {
        if (id == null) {
            throw invalid("'" + member + "' is required.");
        }
        try {
            return StepId.of(id);
        } catch (IllegalArgumentException e) {
            throw invalid("'" + member + "' is not a valid step id: " + e.getMessage() + ".");
        }
    }

    /** The person's arguments as compact JSON text, the form the model's arguments have. */
    private static Optional<String> arguments(JsonNode arguments, String member) {
        if (arguments == null || arguments.isNull()) {
            return Optional.empty();
        }
        if (!arguments.isObject()) {
            throw invalid("'" + member + "' must be an object.");
        }
        String compact = Json.encode(arguments);
        if (compact.length() > Step.MAX_PAYLOAD_LENGTH) {
            throw invalid("'" + member + "' may be at most " + Step.MAX_PAYLOAD_LENGTH
                    + " characters as compact JSON, was " + compact.length() + ".");
        }
        return Optional.of(compact);
    }

    /** What the client's tool gave, as text; kept up to the bound of every tool output by the decision itself. */
    private static Optional<String> output(JsonNode output, String member) {
        if (output == null || output.isNull()) {
            return Optional.empty();
        }
        if (!output.isTextual()) {
            throw invalid("'" + member + "' must be a string.");
        }
        return Optional.of(output.asText());
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.badRequest(detail));
    }
}
