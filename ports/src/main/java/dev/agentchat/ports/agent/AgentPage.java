package dev.agentchat.ports.agent;

import dev.agentchat.domain.agent.Agent;
import java.util.List;

/** One page of an agent listing and the number of agents in the whole listing. */
public record AgentPage(List<Agent> agents, long total, int limit, int offset) {
    public AgentPage {
        agents = List.copyOf(agents);
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative");
        }
    }
}
