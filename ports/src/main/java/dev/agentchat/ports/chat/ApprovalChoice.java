package dev.agentchat.ports.chat;

import dev.agentchat.domain.step.StepId;
import java.util.Objects;
import java.util.Optional;

/**
 * One waiting tool call, answered by the caller: a call that waits for approval is approved or denied; a call
 * of one of the client's own tools is answered with what it gave ({@code output}), or denied when the client
 * will not run it.
 *
 * @param reason    the caller's words, told to the model on a denial and kept on the step
 * @param arguments a JSON object, as compact text, that replaces the model's arguments of an approved call
 * @param output    what the client's own tool gave, for a call of one (approved: the client ran it)
 */
public record ApprovalChoice(StepId stepId, boolean approved, Optional<String> reason, Optional<String> arguments,
                             Optional<String> output) {
    public ApprovalChoice {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(output, "output");
        if (!approved && (arguments.isPresent() || output.isPresent())) {
            throw new IllegalArgumentException("a denied call is not run, so it takes no arguments and gives no output");
        }
        if (arguments.isPresent() && output.isPresent()) {
            throw new IllegalArgumentException("a call the client ran reports what it gave, not other arguments");
        }
    }

    /** A decision on a call that waits for approval. */
    public ApprovalChoice(StepId stepId, boolean approved, Optional<String> reason, Optional<String> arguments) {
        this(stepId, approved, reason, arguments, Optional.empty());
    }

    /** The result the client's own tool gave for the call {@code stepId}. */
    public static ApprovalChoice clientResult(StepId stepId, String output) {
        return new ApprovalChoice(stepId, true, Optional.empty(), Optional.empty(), Optional.of(output));
    }
}
