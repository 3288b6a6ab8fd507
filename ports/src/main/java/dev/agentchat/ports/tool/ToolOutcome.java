package dev.agentchat.ports.tool;

import java.util.Objects;

/** How a tool call ended. Either way the text goes back to the model. */
public sealed interface ToolOutcome {

    /** The tool's result, as text (often JSON) for the model. */
    record Succeeded(String output) implements ToolOutcome {
        public Succeeded {
            Objects.requireNonNull(output, "output");
        }
    }

    /** Why the call failed, in words the model can act on (e.g. "expression: division by zero"). */
    record Failed(String error) implements ToolOutcome {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
