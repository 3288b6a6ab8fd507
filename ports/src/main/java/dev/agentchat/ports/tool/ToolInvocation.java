package dev.agentchat.ports.tool;

import dev.agentchat.domain.Require;
import java.util.Objects;

/**
 * One call of a tool.
 *
 * @param arguments the arguments as the model wrote them: JSON text, not yet checked
 */
public record ToolInvocation(String toolName, String arguments) {
    public ToolInvocation {
        Require.nonBlank(toolName, "tool name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
