package dev.agentchat.adapter.memory.agent;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.ports.agent.AgentCatalog;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A fixed set of agents, given at construction. */
public final class InMemoryAgentCatalog implements AgentCatalog {
    private final List<Agent> agents;

    public InMemoryAgentCatalog(List<Agent> agents) {
        Set<AgentId> names = new HashSet<>();
        for (Agent agent : agents) {
            for (AgentId name : allNames(agent)) {
                if (!names.add(name)) {
                    throw new IllegalArgumentException("two agents answer to '" + name + "'");
                }
            }
        }
        this.agents = agents.stream().sorted(Comparator.comparing(agent -> agent.id().value())).toList();
    }

    @Override
    public Optional<Agent> find(AgentId idOrAlias) {
        return agents.stream().filter(agent -> agent.answersTo(idOrAlias)).findFirst();
    }

    @Override
    public List<Agent> list() {
        return agents;
    }

    private static Set<AgentId> allNames(Agent agent) {
        Set<AgentId> names = new HashSet<>(agent.aliases());
        names.add(agent.id());
        return names;
    }
}
