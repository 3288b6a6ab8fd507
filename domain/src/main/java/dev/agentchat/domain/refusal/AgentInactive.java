package dev.agentchat.domain.refusal;

import dev.agentchat.domain.agent.AgentId;

/** The agent was retired: its threads can be read, but it takes no new messages. */
public final class AgentInactive extends Refusal {
    private final AgentId agentId;

    public AgentInactive(AgentId agentId) {
        super(Kind.CONFLICT, "Agent '" + agentId + "' is retired and takes no new messages; its threads can still be read.");
        this.agentId = agentId;
    }

    public AgentId agentId() {
        return agentId;
    }
}
