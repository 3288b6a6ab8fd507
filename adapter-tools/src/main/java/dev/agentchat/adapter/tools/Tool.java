package dev.agentchat.adapter.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;

/**
 * One built-in tool as {@link BuiltInTools} sees it. Public only because each tool lives in a package of
 * its own; it is not meant as an extension point.
 */
public interface Tool {

    /** The name, description and JSON Schema the model is told about. */
    ToolDefinition definition();

    /**
     * Runs one call. {@code arguments} is a JSON object whose field names {@link BuiltInTools} has already
     * checked against the schema (no unknown field, every required one present); the values' types are the
     * tool's to check, through {@link Arguments}, which throws {@link InvalidArguments}. Any other failure
     * is returned as a {@link ToolOutcome.Failed}. A tool that loops checks the thread's interrupt flag.
     */
    ToolOutcome run(JsonNode arguments, ToolProgress progress);
}
