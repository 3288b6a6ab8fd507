package dev.agentchat.domain.tool;

import dev.agentchat.domain.Require;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool as a model is told about it, and as agents list it.
 *
 * @param name             what the model calls it: letters, digits, '_' and '-', at most 64 (the OpenAI function name rule)
 * @param description      when and why to use it, for the model
 * @param parametersSchema the JSON Schema of its arguments object, as JSON text
 * @param listedAs         how an agent's definition names it: its {@code name} for a tool of this service's own;
 *                         {@code SERVER/TOOL} for a tool of a tool server (an MCP server), whose name the model sees
 *                         is made unique across servers and fit to the model's rule
 */
public record ToolDefinition(String name, String description, String parametersSchema, String listedAs) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** The longest name an agent may list a tool by. */
    public static final int MAX_LISTED_LENGTH = 256;

    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a tool name has 1 to 64 letters, digits, '_' or '-', was '" + name + "'");
        }
        Require.nonBlank(description, "description");
        Require.maxLength(description, 1_024, "description");
        Require.nonBlank(parametersSchema, "parameters schema");
        Require.maxLength(parametersSchema, 16_384, "parameters schema");
        Require.nonBlank(listedAs, "listed as");
        Require.maxLength(listedAs, MAX_LISTED_LENGTH, "listed as");
    }

    /** A tool agents list by the name the model calls it. */
    public ToolDefinition(String name, String description, String parametersSchema) {
        this(name, description, parametersSchema, name);
    }

    /** The tool server it comes from ({@code SERVER} of {@code SERVER/TOOL}); empty for a tool of this service's own. */
    public java.util.Optional<String> server() {
        int slash = listedAs.indexOf('/');
        return slash < 0 ? java.util.Optional.empty() : java.util.Optional.of(listedAs.substring(0, slash));
    }
}
