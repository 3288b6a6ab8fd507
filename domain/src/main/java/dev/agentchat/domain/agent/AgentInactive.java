package dev.agentchat.domain.agent;

/** The agent was retired: its threads can be read, but it takes no new messages. */
public final class AgentInactive extends RuntimeException {
    private final AgentId agentId;

    public AgentInactive(AgentId agentId) {
        super("Agent '" + agentId + "' is retired and takes no new messages; its threads can still be read.");
        this.agentId = agentId;
    }

    public AgentId agentId() {
        return agentId;
    }
}
