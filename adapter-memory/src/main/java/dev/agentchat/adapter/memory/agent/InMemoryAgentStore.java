package dev.agentchat.adapter.memory.agent;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.ports.agent.AgentPage;
import dev.agentchat.ports.agent.AgentStore;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.store.RecordConflict;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Agents in a sorted map. Writes are few (an operator's edits), so one lock keeps each write's
 * check of ids and aliases and its change together.
 */
public final class InMemoryAgentStore implements AgentStore {
    private final Map<AgentId, Agent> agents = new TreeMap<>(java.util.Comparator.comparing(AgentId::value));

    public InMemoryAgentStore() {
    }

    /** A store holding these agents already. */
    public InMemoryAgentStore(List<Agent> initial) {
        initial.forEach(this::create);
    }

    @Override
    public synchronized Optional<Agent> find(AgentId idOrAlias) {
        Agent byId = agents.get(idOrAlias);
        if (byId != null) {
            return Optional.of(byId);
        }
        return agents.values().stream().filter(agent -> agent.answersTo(idOrAlias)).findFirst();
    }

    @Override
    public synchronized List<Agent> list() {
        return List.copyOf(agents.values());
    }

    @Override
    public synchronized AgentPage list(Set<AgentStatus> statuses, PageRequest page) {
        List<Agent> matching = agents.values().stream().filter(agent -> statuses.contains(agent.status())).toList();
        return new AgentPage(matching.stream().skip(page.offset()).limit(page.limit()).toList(), matching.size(),
                page.limit(), page.offset());
    }

    @Override
    public synchronized void create(Agent agent) {
        if (agents.containsKey(agent.id())) {
            throw new RecordConflict("agent " + agent.id() + " exists already");
        }
        requireNamesFree(agent);
        agents.put(agent.id(), agent);
    }

    @Override
    public synchronized void update(Agent agent) {
        Agent stored = agents.get(agent.id());
        if (stored == null) {
            throw new RecordConflict("agent " + agent.id() + " does not exist");
        }
        if (stored.version() != agent.version() - 1) {
            throw new RecordConflict("agent " + agent.id() + " changed meanwhile (version " + stored.version()
                    + ", not " + (agent.version() - 1) + ")");
        }
        requireNamesFree(agent);
        agents.put(agent.id(), agent);
    }

    /** No other agent may answer to this agent's id or aliases. */
    private void requireNamesFree(Agent agent) {
        Set<AgentId> names = new HashSet<>(agent.aliases());
        names.add(agent.id());
        for (Agent other : agents.values()) {
            if (!other.id().equals(agent.id()) && names.stream().anyMatch(other::answersTo)) {
                throw new RecordConflict("agent " + other.id() + " already answers to one of " + names);
            }
        }
    }
}
