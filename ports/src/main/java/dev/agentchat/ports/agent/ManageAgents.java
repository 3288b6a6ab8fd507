package dev.agentchat.ports.agent;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.domain.refusal.InvalidAgent;
import dev.agentchat.domain.refusal.StaleAgentVersion;
import dev.agentchat.ports.store.PageRequest;
import java.util.Set;

/** Use case: an administrator lists, reads, creates, edits and retires agents. */
public interface ManageAgents {

    AgentPage list(Set<AgentStatus> statuses, PageRequest page);

    /** @throws AgentNotFound when no agent has this id or alias */
    Agent get(AgentId idOrAlias);

    /**
     * Creates an agent from {@code draft} (its version and record times are set here).
     *
     * @throws InvalidAgent when it names tools that do not exist, or its id is not a slug
     * @throws dev.agentchat.ports.store.RecordConflict when its id or an alias is taken
     */
    Agent create(Agent draft);

    /**
     * Replaces the agent's definition with {@code draft}, provided it is still at {@code expectedVersion}.
     *
     * @throws AgentNotFound when there is no such agent
     * @throws StaleAgentVersion when the agent has changed since that version
     */
    Agent update(AgentId id, long expectedVersion, Agent draft);

    /** Retires the agent: inactive, its threads kept and readable. Retiring it again changes nothing. */
    Agent retire(AgentId id);
}
