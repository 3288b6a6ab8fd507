package dev.agentchat.ports.agent;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.ports.store.PageRequest;
import java.util.Set;

/** Keeps the agents: the registry the management API edits and every chat reads. */
public interface AgentStore extends AgentCatalog {

    /**
     * Stores a new agent. An id or alias that already names an agent (as its id or an alias) is a
     * {@link dev.agentchat.ports.store.RecordConflict}.
     */
    void create(Agent agent);

    /**
     * Replaces a stored agent with its next version. A missing agent, one stored at another version than
     * the one before, or an alias that names another agent, is a {@link dev.agentchat.ports.store.RecordConflict}.
     */
    void update(Agent agent);

    /** The agents with one of the statuses, by id, a page at a time. */
    AgentPage list(Set<AgentStatus> statuses, PageRequest page);
}
