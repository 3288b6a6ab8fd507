package dev.agentchat.domain.agent;

import dev.agentchat.domain.Require;

/** Identifies an agent: a URL-safe slug. */
public record AgentId(String value) {
    public AgentId {
        Require.identifier(value, "agent id");
    }

    public static AgentId of(String value) {
        return new AgentId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
