package dev.agentchat.ports.chat;

import dev.agentchat.domain.chat.ModelStreamItem;
import java.util.List;
import java.util.Objects;

/** One message of the conversation as the model sees it. */
public sealed interface ModelMessage {

    /** The text of the message (empty for an assistant message that only calls tools). */
    String content();

    static ModelMessage user(String content) {
        return new User(content);
    }

    static ModelMessage assistant(String content) {
        return new Assistant(content, List.of());
    }

    /** What the user said. */
    record User(String content) implements ModelMessage {
        public User {
            Objects.requireNonNull(content, "content");
        }
    }

    /** What the model answered: text, tool calls, or both. */
    record Assistant(String content, List<ModelStreamItem.ToolCallRequest> toolCalls) implements ModelMessage {
        public Assistant {
            Objects.requireNonNull(content, "content");
            toolCalls = List.copyOf(toolCalls);
        }
    }

    /** The result of one tool call, quoting the call's id. */
    record ToolResult(String callId, String content) implements ModelMessage {
        public ToolResult {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(content, "content");
        }
    }
}
