package dev.agentchat.ports.chat;

import dev.agentchat.domain.step.StepId;
import java.util.Objects;
import java.util.Optional;

/**
 * One waiting tool call, decided by the caller.
 *
 * @param reason    the caller's words, told to the model on a denial and kept on the step
 * @param arguments a JSON object, as compact text, that replaces the model's arguments of an approved call
 */
public record ApprovalChoice(StepId stepId, boolean approved, Optional<String> reason, Optional<String> arguments) {
    public ApprovalChoice {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(arguments, "arguments");
        if (!approved && arguments.isPresent()) {
            throw new IllegalArgumentException("a denied call is not run, so it takes no arguments");
        }
    }
}
