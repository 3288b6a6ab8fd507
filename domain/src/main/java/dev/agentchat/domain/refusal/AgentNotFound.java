package dev.agentchat.domain.refusal;

import dev.agentchat.domain.agent.AgentId;

/** No agent has this id or alias. */
public final class AgentNotFound extends Refusal {
    private final AgentId agentId;

    public AgentNotFound(AgentId agentId) {
        super(Kind.NOT_FOUND, "There is no agent '" + agentId + "'.");
        this.agentId = agentId;
    }

    public AgentId agentId() {
        return agentId;
    }
}
