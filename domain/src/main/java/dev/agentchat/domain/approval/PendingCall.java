package dev.agentchat.domain.approval;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.step.StepId;
import java.util.Objects;

/**
 * A tool call waiting for a person, as the paused run keeps it: enough to show it, and to give the
 * model its result in the right place once decided.
 *
 * @param position where the call stands among those its model call asked for, from 0
 * @param callId   the model's id for the call
 */
public record PendingCall(StepId stepId, int position, String callId, String tool, String arguments) {
    public PendingCall {
        Objects.requireNonNull(stepId, "stepId");
        Require.nonNegative(position, "position");
        Require.nonBlank(callId, "callId");
        Require.nonBlank(tool, "tool");
        Objects.requireNonNull(arguments, "arguments");
    }
}
