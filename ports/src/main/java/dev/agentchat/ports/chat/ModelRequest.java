package dev.agentchat.ports.chat;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.domain.tool.ToolDefinition;
import java.util.List;
import java.util.Objects;

/**
 * What a model is asked: the agent's instructions, the conversation so far (oldest first, ending
 * with the user's new message or the results of the tools the model called), the tools it may call, and
 * the agent's model settings (a null setting leaves the adapter's own).
 */
public record ModelRequest(AgentId agentId, String instructions, List<ModelMessage> messages, List<ToolDefinition> tools,
                           ModelSettings settings) {
    public ModelRequest {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(instructions, "instructions");
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a model request needs at least one message");
        }
        tools = List.copyOf(tools);
        Objects.requireNonNull(settings, "settings");
    }

    /** A request with the adapter's own model settings. */
    public ModelRequest(AgentId agentId, String instructions, List<ModelMessage> messages, List<ToolDefinition> tools) {
        this(agentId, instructions, messages, tools, ModelSettings.DEFAULTS);
    }

    /** A request that offers no tools. */
    public ModelRequest(AgentId agentId, String instructions, List<ModelMessage> messages) {
        this(agentId, instructions, messages, List.of());
    }

    /** The last message: what the model is answering. */
    public ModelMessage last() {
        return messages.getLast();
    }

    /** The user's latest message, or empty text if there is none. */
    public String lastUserMessage() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ModelMessage.User user) {
                return user.content();
            }
        }
        return "";
    }
}
