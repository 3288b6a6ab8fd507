package dev.agentchat.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.agent.ModelSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agents to seed at start-up, from a JSON file: the one shipped in the service
 * ({@code agents.json}), or the one {@code AGENTS_FILE} names.
 */
final class AgentsFile {
    static final String SHIPPED = "/agents.json";

    private AgentsFile() {
    }

    static List<Agent> read(Optional<Path> file) {
        try (InputStream in = file.isPresent() ? Files.newInputStream(file.get()) : AgentsFile.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new Settings.InvalidSettings("the shipped agents file " + SHIPPED + " is missing");
            }
            return parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new Settings.InvalidSettings("cannot read the agents file " + file.map(Path::toString).orElse(SHIPPED)
                    + ": " + e.getMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Settings.InvalidSettings("the agents file " + file.map(Path::toString).orElse(SHIPPED)
                    + " holds an invalid agent: " + e.getMessage());
        }
    }

    private static List<Agent> parse(JsonNode root) {
        List<Agent> agents = new ArrayList<>();
        for (JsonNode node : root.path("agents")) {
            Set<AgentId> aliases = new LinkedHashSet<>();
            node.path("aliases").forEach(alias -> aliases.add(AgentId.of(alias.asText())));
            List<String> tools = names(node, "tools");
            List<String> approvalRequired = names(node, "approval_required");
            JsonNode model = node.path("model");
            Map<String, String> metadata = new LinkedHashMap<>();
            node.path("metadata").fields().forEachRemaining(entry -> metadata.put(entry.getKey(), entry.getValue().asText()));
            agents.add(new Agent(AgentId.of(node.get("id").asText()), aliases, node.get("name").asText(),
                    node.path("description").asText(""), node.get("instructions").asText(), tools, approvalRequired,
                    model.path("history_token_budget").asInt(Agent.DEFAULT_HISTORY_TOKEN_BUDGET),
                    new ModelSettings(model.hasNonNull("deployment") ? model.get("deployment").asText() : null,
                            model.hasNonNull("temperature") ? model.get("temperature").asDouble() : null,
                            model.hasNonNull("max_output_tokens") ? model.get("max_output_tokens").asInt() : null),
                    AgentStatus.ACTIVE, metadata, 1, Instant.EPOCH, Instant.EPOCH));
        }
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("it defines no agents");
        }
        return agents;
    }

    /**
     * The tool names {@code member} lists, none when it is absent. Anything but a list of names is refused:
     * read leniently, a lone name would be no name, and a tool meant to wait for approval would not.
     */
    private static List<String> names(JsonNode agent, String member) {
        JsonNode list = agent.path(member);
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("'" + member + "' of agent '" + agent.path("id").asText() + "' must be a list of tool names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : list) {
            if (!name.isTextual()) {
                throw new IllegalArgumentException("'" + member + "' of agent '" + agent.path("id").asText()
                        + "' must be a list of tool names, and holds " + name);
            }
            names.add(name.asText());
        }
        return names;
    }
}
