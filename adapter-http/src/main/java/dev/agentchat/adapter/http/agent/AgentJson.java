package dev.agentchat.adapter.http.agent;

import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.ports.agent.AgentPage;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** Agents as the API's JSON, both ways: the records whose components are the bodies' members. */
final class AgentJson {
    /** At most this many aliases, tools or tools that need approval in one definition. */
    private static final int MAX_LIST = 64;

    private AgentJson() {
    }

    /** One agent as the API shows it; aliases sorted, so that the document does not depend on a set's order. */
    record AgentBody(String id, List<String> aliases, String name, String description, String instructions,
                     ModelBody model, List<String> tools, List<String> approvalRequired, String status, long version,
                     Map<String, String> metadata, Instant createdAt, Instant updatedAt) {
        static AgentBody of(Agent agent) {
            ModelSettings model = agent.model();
            return new AgentBody(agent.id().value(), agent.aliases().stream().map(AgentId::value)
                    .sorted(Comparator.naturalOrder()).toList(), agent.name(), agent.description(),
                    agent.instructions(), new ModelBody(model.deployment(), model.temperature(), model.maxOutputTokens(),
                    agent.historyTokenBudget()), agent.tools(), agent.approvalRequired(),
                    agent.status().name().toLowerCase(Locale.ROOT),
                    agent.version(), agent.metadata(), agent.createdAt(), agent.updatedAt());
        }
    }

    /** The model settings, with null for a setting left to the deployment's default. */
    record ModelBody(String deployment, Double temperature, Integer maxOutputTokens, int historyTokenBudget) {
    }

    record AgentListBody(List<AgentBody> agents, long total, int limit, int offset) {
        static AgentListBody of(AgentPage page) {
            return new AgentListBody(page.agents().stream().map(AgentBody::of).toList(), page.total(), page.limit(),
                    page.offset());
        }
    }

    /** An agent definition as sent: any member may be absent or null, which this reads as its default. */
    record AgentDefinition(String id, List<String> aliases, String name, String description, String instructions,
                           ModelDefinition model, List<String> tools, List<String> approvalRequired, String status,
                           Map<String, String> metadata) {

        /** The agent defined; {@code pathId} is its id when the path names it, else the body must. */
        Agent toAgent(String pathId) {
            return toAgent(pathId, AgentStatus.ACTIVE);
        }

        /** The same, with the status an absent {@code status} stands for (an edit keeps the stored one). */
        Agent toAgent(String pathId, AgentStatus absentStatus) {
            if (pathId != null && id != null && !pathId.equals(id)) {
                throw invalid("'id' in the body must be the agent's id in the path, or left out.");
            }
            ModelDefinition settings = model != null ? model : new ModelDefinition(null, null, null, null);
            try {
                return new Agent(AgentId.of(pathId != null ? pathId : required(id, "id")), aliasIds(),
                        required(name, "name"), Objects.requireNonNullElse(description, ""),
                        required(instructions, "instructions"), strings(tools, "tools"),
                        strings(approvalRequired, "approval_required"),
                        Objects.requireNonNullElse(settings.historyTokenBudget(), Agent.DEFAULT_HISTORY_TOKEN_BUDGET),
                        new ModelSettings(settings.deployment(), settings.temperature(), settings.maxOutputTokens()),
                        status(absentStatus), metadataOrNone(), 1, Instant.EPOCH, Instant.EPOCH);
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage() + ".");
            }
        }

        private LinkedHashSet<AgentId> aliasIds() {
            LinkedHashSet<AgentId> ids = new LinkedHashSet<>();
            for (String alias : strings(aliases, "aliases")) {
                ids.add(AgentId.of(alias));
            }
            return ids;
        }

        private AgentStatus status(AgentStatus absent) {
            if (status == null) {
                return absent;
            }
            return switch (status) {
                case "active" -> AgentStatus.ACTIVE;
                case "inactive" -> AgentStatus.INACTIVE;
                default -> throw invalid("'status' must be active or inactive.");
            };
        }

        private Map<String, String> metadataOrNone() {
            if (metadata == null) {
                return Map.of();
            }
            if (metadata.containsValue(null)) {
                throw invalid("'metadata' values must be strings.");
            }
            return metadata;
        }

        private static List<String> strings(List<String> values, String name) {
            if (values == null) {
                return List.of();
            }
            if (values.size() > MAX_LIST) {
                throw invalid("'" + name + "' must be an array of at most " + MAX_LIST + " strings.");
            }
            if (values.contains(null)) {
                throw invalid("'" + name + "' must hold strings only.");
            }
            return values;
        }

        private static String required(String value, String name) {
            if (value == null) {
                throw invalid("'" + name + "' is required.");
            }
            return value;
        }
    }

    /** The model settings as sent: a setting absent or null is left to the deployment's default. */
    record ModelDefinition(String deployment, Double temperature, Integer maxOutputTokens, Integer historyTokenBudget) {
    }

    /** The version an edit was made from, when the body carries it rather than If-Match. */
    record EditedVersion(Long version) {
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(Problem.badRequest(detail));
    }
}
