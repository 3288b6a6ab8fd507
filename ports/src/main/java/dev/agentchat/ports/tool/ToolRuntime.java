package dev.agentchat.ports.tool;

import dev.agentchat.domain.tool.ToolDefinition;
import java.util.List;

/** The tools agents may call, and where calls to them run. */
public interface ToolRuntime {

    /** A runtime with no tools, for agents and applications that use none. */
    static ToolRuntime none() {
        return new ToolRuntime() {
            @Override
            public List<ToolDefinition> definitions() {
                return List.of();
            }

            @Override
            public ToolOutcome execute(ToolInvocation invocation, ToolProgress progress) {
                return new ToolOutcome.Failed("There is no tool named '" + invocation.toolName() + "'.");
            }
        };
    }

    /** Every tool this runtime offers, by name. */
    List<ToolDefinition> definitions();

    /**
     * The tool servers this runtime draws on (MCP servers), each reachable or not: an agent may list the tools of
     * a server that is not reachable now, and the service is degraded while one is not. None for a runtime whose
     * tools are its own.
     */
    default List<ToolSource> sources() {
        return List.of();
    }

    /**
     * Runs one call and returns its outcome. A tool's own failure (bad arguments, nothing found, an
     * error inside it) is a {@link ToolOutcome.Failed}, not an exception. Implementations stop when
     * the calling thread is interrupted, which is how the caller enforces the timeout.
     */
    ToolOutcome execute(ToolInvocation invocation, ToolProgress progress);
}
