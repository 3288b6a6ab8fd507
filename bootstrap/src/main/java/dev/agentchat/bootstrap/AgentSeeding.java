package dev.agentchat.bootstrap;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.ports.agent.AgentService;
import dev.agentchat.ports.agent.AgentStore;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolRuntime;
import java.util.List;
import java.util.logging.Logger;

/**
 * Puts the configured agents into the agent store at start-up. By default an agent already there
 * (seeded before, perhaps edited since) is left as it is, so restarts neither duplicate nor undo
 * edits; with {@code overwrite} the file's definition replaces it, as a new version. Agents are
 * checked like any created through the API: slugs, and tools that exist.
 */
final class AgentSeeding {
    private static final Logger LOG = Logger.getLogger(AgentSeeding.class.getName());

    private AgentSeeding() {
    }

    /** How many agents were added or replaced. */
    static int seed(AgentStore store, ToolRuntime tools, Clock clock, List<Agent> agents, boolean overwrite) {
        AgentService registry = new AgentService(store, tools, clock);
        int changed = 0;
        for (Agent agent : agents) {
            try {
                var stored = store.find(agent.id()).filter(found -> found.id().equals(agent.id()));
                if (stored.isEmpty()) {
                    registry.create(agent);
                    changed++;
                } else if (overwrite) {
                    registry.update(agent.id(), stored.get().version(), agent);
                    changed++;
                }
            } catch (RecordConflict e) {
                // Another instance seeded it at the same moment, or an alias is taken: keep what is stored.
                LOG.warning("Agent " + agent.id() + " was not seeded: " + e.getMessage());
            }
        }
        return changed;
    }
}
