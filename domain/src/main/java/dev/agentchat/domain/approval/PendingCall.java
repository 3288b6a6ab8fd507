package dev.agentchat.domain.approval;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.step.StepId;
import java.util.Objects;

/**
 * A tool call the run waits on, as the paused run keeps it: enough to show it, and to give the model its
 * result in the right place once answered. It waits for a person's approval, or, when it calls one of the
 * client's own tools ({@code clientSide}), for the result the client gives.
 *
 * @param position   where the call stands among those its model call asked for, from 0
 * @param callId     the model's id for the call
 * @param clientSide true for a call of a tool the client runs itself
 */
public record PendingCall(StepId stepId, int position, String callId, String tool, String arguments,
                          boolean clientSide) {
    public PendingCall {
        Objects.requireNonNull(stepId, "stepId");
        Require.nonNegative(position, "position");
        Require.nonBlank(callId, "callId");
        Require.nonBlank(tool, "tool");
        Objects.requireNonNull(arguments, "arguments");
    }

    /** A call that waits for a person's approval. */
    public PendingCall(StepId stepId, int position, String callId, String tool, String arguments) {
        this(stepId, position, callId, tool, arguments, false);
    }
}
