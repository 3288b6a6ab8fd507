package dev.agentchat.ports.chat;

import dev.agentchat.domain.agent.AgentId;
import java.util.List;
import java.util.Objects;

/**
 * What a model is asked: the agent's instructions and the conversation so far, oldest first, ending
 * with the user's new message.
 */
public record ModelRequest(AgentId agentId, String instructions, List<ModelMessage> messages) {
    public ModelRequest {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(instructions, "instructions");
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a model request needs at least one message");
        }
    }

    /** The message the model is answering. */
    public ModelMessage last() {
        return messages.getLast();
    }
}
