package dev.agentchat.ports.tool;

import dev.agentchat.domain.Require;
import java.util.Objects;
import java.util.Optional;

/**
 * A server whose tools a runtime offers (an MCP server), as it stands now: reachable with the tools it listed,
 * or not, and why. A server that is not reachable offers no tools until it is.
 *
 * @param name    the server's name, as agents list its tools ({@code NAME/TOOL}, {@code NAME/*})
 * @param problem why it is not reachable; empty when it is
 * @param tools   how many tools it lists now
 */
public record ToolSource(String name, Optional<String> problem, int tools) {
    public ToolSource {
        Require.nonBlank(name, "name");
        Objects.requireNonNull(problem, "problem");
        Require.nonNegative(tools, "tools");
    }

    public boolean reachable() {
        return problem.isEmpty();
    }
}
