package dev.agentchat.adapter.http.agui;

import static dev.agentchat.adapter.http.agui.RunAgentInput.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.chat.ChatCommand;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code tools} member of an AG-UI input: the client's own tools (AG-UI's frontend tools), each
 * {@code {name, description, parameters}} with {@code parameters} a JSON Schema object. A tool the model
 * could not be told of is refused here, naming it, rather than by the model's provider mid-run.
 */
final class ClientTools {
    private ClientTools() {
    }

    /** The tools declared; none when {@code tools} is absent or null. */
    static List<ToolDefinition> from(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw invalid("'tools' must be an array of tools.");
        }
        if (tools.size() > ChatCommand.MAX_CLIENT_TOOLS) {
            throw invalid("'tools' may declare at most " + ChatCommand.MAX_CLIENT_TOOLS + " tools, was " + tools.size() + ".");
        }
        List<ToolDefinition> declared = new ArrayList<>(tools.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            ToolDefinition tool = tool(tools.get(i), "tools[" + i + "]");
            if (!names.add(tool.name())) {
                throw invalid("'tools[" + i + "].name' is \"" + tool.name() + "\", declared twice.");
            }
            declared.add(tool);
        }
        int length = ChatCommand.lengthOf(declared);
        if (length > ChatCommand.MAX_CLIENT_TOOLS_LENGTH) {
            throw invalid("'tools' may declare at most " + ChatCommand.MAX_CLIENT_TOOLS_LENGTH
                    + " characters of names, descriptions and parameter schemas together, was " + length + ".");
        }
        return declared;
    }

    private static ToolDefinition tool(JsonNode tool, String at) {
        if (!tool.isObject()) {
            throw invalid("'" + at + "' must be a tool object.");
        }
        JsonNode name = tool.get("name");
        if (name == null || !name.isTextual() || !name.asText().matches("[A-Za-z0-9_-]{1,64}")) {
            throw invalid("'" + at + ".name' must be 1 to 64 letters, digits, '_' or '-' (what a model may call a tool).");
        }
        JsonNode description = tool.get("description");
        if (description == null || !description.isTextual() || description.asText().length() > 1_024) {
            throw invalid("'" + at + ".description' is required: at most 1024 characters telling the model what the tool does.");
        }
        // AG-UI lets a front end leave the description empty; the model is then told the tool's name alone.
        String told = description.asText().isBlank() ? name.asText() : description.asText();
        JsonNode parameters = tool.get("parameters");
        String schema = RunAgentInput.NO_PARAMETERS;
        if (parameters != null && !parameters.isNull()) {
            if (!parameters.isObject()) {
                throw invalid("'" + at + ".parameters' must be a JSON Schema object.");
            }
            schema = parameters.toString();
            if (schema.length() > 16_384) {
                throw invalid("'" + at + ".parameters' may be at most 16384 characters of JSON, was " + schema.length() + ".");
            }
        }
        return new ToolDefinition(name.asText(), told, schema);
    }
}
