package dev.agentchat.domain.tool;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The tools an agent may list when it is saved: this service's own, by name, and each configured tool server's,
 * as {@code SERVER/TOOL} or all of them as {@code SERVER/*}. A server that is not reachable now has listed no
 * tools, so a {@code SERVER/TOOL} of it cannot be checked and is accepted; it is checked by the server's answer
 * (a tool it lacks is never offered to the model).
 *
 * @param own     the names of this service's own tools
 * @param servers the configured tool servers, in their order
 */
public record ToolCatalog(List<String> own, List<Server> servers) {
    /** What names all of a server's tools, after {@code SERVER/}. */
    public static final String ALL = "*";

    public ToolCatalog {
        own = List.copyOf(own);
        servers = List.copyOf(servers);
    }

    /** A catalog of this service's own tools only. */
    public static ToolCatalog of(List<String> own) {
        return new ToolCatalog(own, List.of());
    }

    /**
     * A tool server as it stands now.
     *
     * @param name  its name, as agents list its tools
     * @param tools the names of the tools it lists (without {@code SERVER/}); empty when it is not reachable now
     */
    public record Server(String name, Optional<List<String>> tools) {
        public Server {
            Objects.requireNonNull(name, "name");
            tools = tools.map(List::copyOf);
        }
    }

    /** Why an agent cannot list {@code entry}, in words for the administrator; empty when it may. */
    public Optional<String> problemWith(String entry) {
        int slash = entry.indexOf('/');
        if (slash < 0) {
            return own.contains(entry) ? Optional.empty()
                    : Optional.of("There is no tool named '" + entry + "'; the tools are " + own + ".");
        }
        String serverName = entry.substring(0, slash);
        String tool = entry.substring(slash + 1);
        Optional<Server> server = servers.stream().filter(s -> s.name().equals(serverName)).findFirst();
        if (server.isEmpty()) {
            return Optional.of("There is no tool server named '" + serverName + "' (in '" + entry + "'); "
                    + (servers.isEmpty() ? "none is configured." : "the tool servers are " + serverNames() + "."));
        }
        if (tool.isEmpty()) {
            return Optional.of("'" + entry + "' names no tool: list '" + serverName + "/TOOL', or '" + serverName
                    + "/*' for all of its tools.");
        }
        if (tool.equals(ALL)) {
            return Optional.empty();
        }
        return server.get().tools()
                .filter(listed -> !listed.contains(tool))
                .map(listed -> "The tool server '" + serverName + "' has no tool named '" + tool + "'; its tools are "
                        + listed + ".");
    }

    private List<String> serverNames() {
        return servers.stream().map(Server::name).toList();
    }
}
