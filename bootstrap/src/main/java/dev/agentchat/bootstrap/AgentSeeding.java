package dev.agentchat.bootstrap;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.ports.agent.AgentService;
import dev.agentchat.domain.refusal.InvalidAgent;
import dev.agentchat.domain.refusal.StaleAgentVersion;
import dev.agentchat.ports.agent.AgentStore;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolRuntime;
import java.util.List;
import java.util.Set;
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

    private static boolean sameDefinition(Agent stored, Agent file) {
        return stored.aliases().equals(file.aliases()) && stored.name().equals(file.name())
                && stored.description().equals(file.description()) && stored.instructions().equals(file.instructions())
                && stored.tools().equals(file.tools()) && stored.approvalRequired().equals(file.approvalRequired())
                && stored.historyTokenBudget() == file.historyTokenBudget()
                && stored.model().equals(file.model()) && stored.metadata().equals(file.metadata());
    }

    private static Agent withStatus(Agent file, Agent stored) {
        return new Agent(file.id(), file.aliases(), file.name(), file.description(), file.instructions(), file.tools(),
                file.approvalRequired(), file.historyTokenBudget(), file.model(), stored.status(), file.metadata(), file.version(),
                file.createdAt(), file.updatedAt());
    }

    /**
     * Warns of each {@code SERVER/TOOL} that {@code agents} list and {@code server} does not, now that it has listed
     * its {@code tools}: seeding checks such an entry for its server's name only, since no server has answered yet,
     * and a misspelt tool would otherwise go unseen (it is never offered). Returns the warnings logged.
     */
    static List<String> warnOfToolsNotListed(List<Agent> agents, String server, Set<String> tools) {
        String prefix = server + "/";
        List<String> warnings = agents.stream().flatMap(agent -> agent.tools().stream()
                        .filter(tool -> tool.startsWith(prefix) && !tool.equals(prefix + "*"))
                        .filter(tool -> !tools.contains(tool.substring(prefix.length())))
                        .map(tool -> "Agent " + agent.id().value() + " in the agents file lists the tool " + tool
                                + ", which the MCP server " + server + " does not have: it is not offered"))
                .toList();
        warnings.forEach(LOG::warning);
        return warnings;
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
                } else if (overwrite && !sameDefinition(stored.get(), agent)) {
                    // The file's definition, but not its status: a retired agent stays retired.
                    registry.update(agent.id(), stored.get().version(), withStatus(agent, stored.get()));
                    changed++;
                }
            } catch (RecordConflict | StaleAgentVersion e) {
                // Another instance seeded it at the same moment, or an alias is taken: keep what is stored.
                LOG.warning("Agent " + agent.id() + " was not seeded: " + e.getMessage());
            } catch (InvalidAgent e) {
                throw new Settings.InvalidSettings("agent " + agent.id() + " in the agents file: " + e.getMessage());
            }
        }
        return changed;
    }
}
