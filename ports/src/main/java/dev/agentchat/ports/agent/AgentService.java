package dev.agentchat.ports.agent;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.domain.refusal.StaleAgentVersion;
import dev.agentchat.domain.tool.ToolCatalog;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolRuntime;
import dev.agentchat.ports.tool.ToolSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The agent registry's use cases, over the agent store and the tools there are. */
public final class AgentService implements ManageAgents {
    /** Lower-case words joined by single hyphens, 2 to 64 characters: safe in a URL path as it is. */

    private final AgentStore agents;
    private final ToolRuntime tools;
    private final Clock clock;

    public AgentService(AgentStore agents, ToolRuntime tools, Clock clock) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.tools = Objects.requireNonNull(tools, "tools");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public AgentPage list(Set<AgentStatus> statuses, PageRequest page) {
        return agents.list(statuses, page);
    }

    @Override
    public Agent get(AgentId idOrAlias) {
        return agents.find(idOrAlias).orElseThrow(() -> new AgentNotFound(idOrAlias));
    }

    @Override
    public Agent create(Agent draft) {
        check(draft);
        Agent created = draft.savedFirst(clock.now());
        agents.create(created);
        return created;
    }

    /** {@code id} may be an alias: the agent it names is edited, and keeps its own id. */
    @Override
    public Agent update(AgentId id, long expectedVersion, Agent draft) {
        check(draft);
        Agent stored = agents.find(id).orElseThrow(() -> new AgentNotFound(id));
        if (stored.version() != expectedVersion) {
            throw new StaleAgentVersion(id, expectedVersion, stored.version());
        }
        Agent revised = stored.revisedTo(draft, clock.now());
        try {
            agents.update(revised);
        } catch (RecordConflict e) {
            // Changed between our read and our write (another instance): the same answer as a stale version.
            Agent now = agents.find(stored.id()).orElseThrow(() -> new AgentNotFound(id));
            if (now.version() != stored.version()) {
                throw new StaleAgentVersion(id, expectedVersion, now.version());
            }
            throw e;
        }
        return revised;
    }

    @Override
    public Agent retire(AgentId id) {
        Agent stored = agents.find(id).orElseThrow(() -> new AgentNotFound(id));
        Agent retired = stored.retired(clock.now());
        if (retired != stored) {
            agents.update(retired);
        }
        return retired;
    }

    private void check(Agent draft) {
        draft.checkDefinable(catalog());
    }

    /** The tools there are now: the service's own by name, and each tool server's as it stands. */
    private ToolCatalog catalog() {
        // The servers first: one that answers meanwhile lists its tools before it says it is reachable, so a server
        // read as reachable has its tools among the definitions read after.
        List<ToolSource> sources = tools.sources();
        List<ToolDefinition> definitions = tools.definitions();
        List<String> own = definitions.stream().filter(tool -> tool.server().isEmpty()).map(ToolDefinition::name).toList();
        List<ToolCatalog.Server> servers = sources.stream().map(source -> new ToolCatalog.Server(source.name(),
                source.reachable() ? Optional.of(toolsOf(source.name(), definitions)) : Optional.empty())).toList();
        return new ToolCatalog(own, servers);
    }

    private static List<String> toolsOf(String server, List<ToolDefinition> definitions) {
        String prefix = server + "/";
        return definitions.stream().map(ToolDefinition::listedAs).filter(listed -> listed.startsWith(prefix))
                .map(listed -> listed.substring(prefix.length())).toList();
    }
}
