package dev.agentchat.ports.agent;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import java.util.List;
import java.util.Optional;

/** The agents the service hosts. */
public interface AgentCatalog {

    /** The agent whose id or one of whose aliases is {@code idOrAlias}. */
    Optional<Agent> find(AgentId idOrAlias);

    /** Every agent, by id. */
    List<Agent> list();
}
