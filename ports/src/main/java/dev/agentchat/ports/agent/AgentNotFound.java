package dev.agentchat.ports.agent;

import dev.agentchat.domain.agent.AgentId;

/** No agent has this id or alias. */
public final class AgentNotFound extends RuntimeException {
    private final AgentId agentId;

    public AgentNotFound(AgentId agentId) {
        super("There is no agent '" + agentId + "'.");
        this.agentId = agentId;
    }

    public AgentId agentId() {
        return agentId;
    }
}
