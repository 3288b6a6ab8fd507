package dev.agentchat.domain.refusal;

import dev.agentchat.domain.agent.AgentId;

/** An edit made from an older version of the agent than the stored one: it would lose someone's change. */
public final class StaleAgentVersion extends Refusal {
    private final long currentVersion;

    public StaleAgentVersion(AgentId id, long expected, long current) {
        super(Kind.CONFLICT, "Agent '" + id + "' is at version " + current + ", not " + expected + ": read it again and redo the edit.");
        this.currentVersion = current;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
