package dev.agentchat.ports.thread;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import java.util.Objects;

/** A thread as a caller names it: through an agent (id or alias), as a user. */
public record ThreadRef(AgentId agentId, UserId userId, ThreadId threadId) {
    public ThreadRef {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(threadId, "threadId");
    }
}
