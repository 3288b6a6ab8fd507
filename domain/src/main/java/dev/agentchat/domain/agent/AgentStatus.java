package dev.agentchat.domain.agent;

/** Whether an agent takes new conversations. A retired (inactive) agent keeps its threads readable. */
public enum AgentStatus {
    ACTIVE,
    INACTIVE
}
