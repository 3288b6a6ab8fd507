package dev.agentchat.domain.thread;

import dev.agentchat.domain.agent.AgentId;
import java.util.Objects;

/** The agent and user every thread query is confined to: a thread outside its scope does not exist for the caller. */
public record ThreadScope(AgentId agentId, UserId userId) {
    public ThreadScope {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(userId, "userId");
    }
}
