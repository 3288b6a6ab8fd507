package dev.agentchat.ports.chat;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * A user's message to an agent.
 *
 * @param threadId the thread to continue; empty to open a new one
 */
public record ChatCommand(AgentId agentId, UserId userId, Optional<ThreadId> threadId, String message) {
    /** The longest message a user may send, in characters (about 8,000 tokens of English). */
    public static final int MAX_MESSAGE_LENGTH = 32_768;

    public ChatCommand {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(threadId, "threadId");
        Require.nonBlank(message, "message");
        Require.maxLength(message, MAX_MESSAGE_LENGTH, "message");
    }
}
