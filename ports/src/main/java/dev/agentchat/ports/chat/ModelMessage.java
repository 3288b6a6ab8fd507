package dev.agentchat.ports.chat;

import dev.agentchat.domain.message.Role;
import java.util.Objects;

/** One message of the conversation as the model sees it. */
public record ModelMessage(Role role, String content) {
    public ModelMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
