package dev.agentchat.adapter.http.agent;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.Timestamps;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.agent.ModelSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Agents as the API's JSON, both ways. */
final class AgentJson {
    private AgentJson() {
    }

    static void write(Agent agent, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", agent.id().value());
        json.writeArrayFieldStart("aliases");
        for (AgentId alias : agent.aliases().stream().sorted(java.util.Comparator.comparing(AgentId::value)).toList()) {
            json.writeString(alias.value());
        }
        json.writeEndArray();
        json.writeStringField("name", agent.name());
        json.writeStringField("description", agent.description());
        json.writeStringField("instructions", agent.instructions());
        json.writeObjectFieldStart("model");
        json.writeStringField("deployment", agent.model().deployment());
        if (agent.model().temperature() == null) {
            json.writeNullField("temperature");
        } else {
            json.writeNumberField("temperature", agent.model().temperature());
        }
        if (agent.model().maxOutputTokens() == null) {
            json.writeNullField("max_output_tokens");
        } else {
            json.writeNumberField("max_output_tokens", agent.model().maxOutputTokens());
        }
        json.writeNumberField("history_token_budget", agent.historyTokenBudget());
        json.writeEndObject();
        json.writeArrayFieldStart("tools");
        for (String tool : agent.tools()) {
            json.writeString(tool);
        }
        json.writeEndArray();
        json.writeStringField("status", agent.status().name().toLowerCase(Locale.ROOT));
        json.writeNumberField("version", agent.version());
        json.writeObjectFieldStart("metadata");
        for (Map.Entry<String, String> entry : agent.metadata().entrySet()) {
            json.writeStringField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
        json.writeStringField("created_at", Timestamps.format(agent.createdAt()));
        json.writeStringField("updated_at", Timestamps.format(agent.updatedAt()));
        json.writeEndObject();
    }

    /** An agent definition from a request body; {@code pathId} is the id when the path names it. */
    static Agent read(JsonNode body, String pathId) {
        return read(body, pathId, AgentStatus.ACTIVE);
    }

    /** The same, with the status an absent {@code status} stands for (an edit keeps the stored one). */
    static Agent read(JsonNode body, String pathId, AgentStatus absentStatus) {
        String id = pathId != null ? pathId : text(body, "id", true);
        if (pathId != null && body.hasNonNull("id") && !pathId.equals(body.get("id").asText())) {
            throw invalid("'id' in the body must be the agent's id in the path, or left out.");
        }
        JsonNode model = body.path("model");
        try {
            return new Agent(AgentId.of(id), aliases(body.get("aliases")), text(body, "name", true),
                    textOr(body, "description", ""), text(body, "instructions", true), strings(body.get("tools"), "tools"),
                    model.has("history_token_budget") ? intValue(model, "history_token_budget") : Agent.DEFAULT_HISTORY_TOKEN_BUDGET,
                    new ModelSettings(model.hasNonNull("deployment") ? model.get("deployment").asText() : null,
                            model.hasNonNull("temperature") ? model.get("temperature").asDouble() : null,
                            model.hasNonNull("max_output_tokens") ? intValue(model, "max_output_tokens") : null),
                    status(body.get("status"), absentStatus), metadata(body.get("metadata")), 1, java.time.Instant.EPOCH, java.time.Instant.EPOCH);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage() + ".");
        }
    }

    private static Set<AgentId> aliases(JsonNode node) {
        Set<AgentId> aliases = new LinkedHashSet<>();
        for (String alias : strings(node, "aliases")) {
            aliases.add(AgentId.of(alias));
        }
        return aliases;
    }

    private static List<String> strings(JsonNode node, String name) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray() || node.size() > 64) {
            throw invalid("'" + name + "' must be an array of at most 64 strings.");
        }
        node.forEach(value -> {
            if (!value.isTextual()) {
                throw invalid("'" + name + "' must hold strings only.");
            }
            values.add(value.textValue());
        });
        return values;
    }

    private static AgentStatus status(JsonNode node, AgentStatus absent) {
        if (node == null || node.isNull()) {
            return absent;
        }
        return switch (node.asText()) {
            case "active" -> AgentStatus.ACTIVE;
            case "inactive" -> AgentStatus.INACTIVE;
            default -> throw invalid("'status' must be active or inactive.");
        };
    }

    private static Map<String, String> metadata(JsonNode node) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            throw invalid("'metadata' must be an object of strings.");
        }
        node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                throw invalid("'metadata' values must be strings.");
            }
            metadata.put(entry.getKey(), entry.getValue().textValue());
        });
        return metadata;
    }

    private static String text(JsonNode body, String name, boolean required) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw invalid("'" + name + "' is required.");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw invalid("'" + name + "' must be a string.");
        }
        return node.textValue();
    }

    private static String textOr(JsonNode body, String name, String fallback) {
        String value = text(body, name, false);
        return value == null ? fallback : value;
    }

    private static int intValue(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw invalid("'" + name + "' must be a whole number.");
        }
        return value.intValue();
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(Problem.badRequest(detail));
    }
}
