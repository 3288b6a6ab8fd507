package dev.agentchat.domain.tool;

import dev.agentchat.domain.Require;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool as a model is told about it.
 *
 * @param name             what the model calls it: letters, digits, '_' and '-', at most 64 (the OpenAI function name rule)
 * @param description      when and why to use it, for the model
 * @param parametersSchema the JSON Schema of its arguments object, as JSON text
 */
public record ToolDefinition(String name, String description, String parametersSchema) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a tool name has 1 to 64 letters, digits, '_' or '-', was '" + name + "'");
        }
        Require.nonBlank(description, "description");
        Require.maxLength(description, 1_024, "description");
        Require.nonBlank(parametersSchema, "parameters schema");
        Require.maxLength(parametersSchema, 16_384, "parameters schema");
    }
}
