package dev.agentchat.bootstrap;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.ports.agent.AgentStore;
import dev.agentchat.ports.store.RecordConflict;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * Puts the configured agents into the agent store at start-up, once: an agent already there (seeded
 * before, perhaps edited since) is left as it is, so restarts neither duplicate nor undo edits.
 */
final class AgentSeeding {
    private static final Logger LOG = Logger.getLogger(AgentSeeding.class.getName());

    private AgentSeeding() {
    }

    /** How many agents were added. */
    static int seed(AgentStore store, List<Agent> agents, Instant now) {
        int added = 0;
        for (Agent agent : agents) {
            if (store.find(agent.id()).isPresent()) {
                continue;
            }
            try {
                store.create(agent.savedFirst(now));
                added++;
            } catch (RecordConflict e) {
                // Another instance seeded it at the same moment, or an alias is taken: keep what is stored.
                LOG.warning("Agent " + agent.id() + " was not seeded: " + e.getMessage());
            }
        }
        return added;
    }
}
