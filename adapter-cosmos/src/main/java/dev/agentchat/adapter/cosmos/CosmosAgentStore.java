package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.ports.agent.AgentPage;
import dev.agentchat.ports.agent.AgentStore;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.store.RecordConflict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Agents in the {@code agents} container, one partition per agent: a lookup by id is a point read,
 * and the few lookups by alias or listings read across the (small) container.
 */
public final class CosmosAgentStore implements AgentStore {
    private final CosmosContainer container;
    private final RequestCharges charges;

    CosmosAgentStore(CosmosContainer container, RequestCharges charges) {
        this.container = container;
        this.charges = charges;
    }

    @Override
    public Optional<Agent> find(AgentId idOrAlias) {
        try {
            return Optional.of(fromDocument(charges.read(container, "read agent",
                    () -> container.readItem(idOrAlias.value(), new PartitionKey(idOrAlias.value()), JsonNode.class)).getItem()));
        } catch (CosmosException e) {
            if (e.getStatusCode() != CosmosErrors.NOT_FOUND) {
                throw CosmosErrors.failure("reading agent " + idOrAlias, e);
            }
        }
        return query("find agent by alias", "SELECT * FROM c WHERE ARRAY_CONTAINS(c.aliases, @alias)",
                List.of(new SqlParameter("@alias", idOrAlias.value()))).stream().findFirst();
    }

    @Override
    public List<Agent> list() {
        return query("list agents", "SELECT * FROM c ORDER BY c.id", List.of());
    }

    @Override
    public AgentPage list(Set<AgentStatus> statuses, PageRequest page) {
        // The statuses are enum names, so writing them into the SQL cannot inject anything.
        String where = " FROM c WHERE c.status IN (" + statuses.stream().map(status -> "'" + status.name() + "'").sorted()
                .collect(Collectors.joining(", ")) + ")";
        List<Agent> agents = query("list agents", "SELECT *" + where + " ORDER BY c.id OFFSET @offset LIMIT @limit",
                List.of(new SqlParameter("@offset", page.offset()), new SqlParameter("@limit", page.limit())));
        long total = CosmosErrors.call("count agents", () -> charges.first(container, "count agents", container.queryItems(
                new SqlQuerySpec("SELECT VALUE COUNT(1)" + where), new CosmosQueryRequestOptions(), Long.class))
                .orElse(0L));
        return new AgentPage(agents, total, page.limit(), page.offset());
    }

    @Override
    public void create(Agent agent) {
        requireNamesFree(agent);
        try {
            charges.create(container, "create agent", () -> container.createItem(toDocument(agent), new PartitionKey(agent.id().value()),
                    new CosmosItemRequestOptions()));
        } catch (CosmosException e) {
            throw CosmosErrors.failure("creating agent " + agent.id(), e);
        }
    }

    @Override
    public void update(Agent agent) {
        PartitionKey partition = new PartitionKey(agent.id().value());
        try {
            CosmosItemResponse<JsonNode> stored = charges.read(container, "read agent",
                    () -> container.readItem(agent.id().value(), partition, JsonNode.class));
            long current = stored.getItem().get("version").asLong();
            if (current != agent.version() - 1) {
                throw new RecordConflict("agent " + agent.id() + " changed meanwhile (version " + current
                        + ", not " + (agent.version() - 1) + ")");
            }
            requireNamesFree(agent);
            charges.replace(container, "update agent", () -> container.replaceItem(toDocument(agent), agent.id().value(), partition,
                    new CosmosItemRequestOptions().setIfMatchETag(stored.getETag())));
        } catch (CosmosException e) {
            if (e.getStatusCode() == CosmosErrors.NOT_FOUND) {
                throw new RecordConflict("agent " + agent.id() + " does not exist");
            }
            throw CosmosErrors.failure("updating agent " + agent.id(), e);
        }
    }

    /**
     * No other agent may answer to this agent's id or aliases. Checked by a query before the write:
     * two operators adding the same alias at the same moment could both pass; agent edits are rare enough
     * that this is accepted (a unique key cannot cover an array).
     */
    private void requireNamesFree(Agent agent) {
        Set<String> names = new LinkedHashSet<>();
        names.add(agent.id().value());
        agent.aliases().forEach(alias -> names.add(alias.value()));
        for (String name : names) {
            List<Agent> holders = query("check agent names",
                    "SELECT * FROM c WHERE c.id = @name OR ARRAY_CONTAINS(c.aliases, @name)",
                    List.of(new SqlParameter("@name", name)));
            for (Agent holder : holders) {
                if (!holder.id().equals(agent.id())) {
                    throw new RecordConflict("agent " + holder.id() + " already answers to '" + name + "'");
                }
            }
        }
    }

    private List<Agent> query(String operation, String sql, List<SqlParameter> parameters) {
        return CosmosErrors.call(operation, () -> charges.list(container, operation, container.queryItems(
                new SqlQuerySpec(sql, parameters), new CosmosQueryRequestOptions(), JsonNode.class), CosmosAgentStore::fromDocument));
    }

    private static ObjectNode toDocument(Agent agent) {
        // The partition key is the id itself, so the document needs no field of its own for it.
        ObjectNode doc = Documents.JSON.createObjectNode().put("id", agent.id().value()).put("type", "agent");
        ArrayNode aliases = doc.putArray("aliases");
        agent.aliases().stream().map(AgentId::value).sorted().forEach(aliases::add);
        doc.put("name", agent.name());
        doc.put("description", agent.description());
        doc.put("instructions", agent.instructions());
        ArrayNode tools = doc.putArray("tools");
        agent.tools().forEach(tools::add);
        ArrayNode approvalRequired = doc.putArray("approvalRequired");
        agent.approvalRequired().forEach(approvalRequired::add);
        doc.put("historyTokenBudget", agent.historyTokenBudget());
        ObjectNode model = doc.putObject("model");
        model.put("deployment", agent.model().deployment());
        model.put("temperature", agent.model().temperature());
        model.put("maxOutputTokens", agent.model().maxOutputTokens());
        doc.put("status", agent.status().name());
        ObjectNode metadata = doc.putObject("metadata");
        agent.metadata().forEach(metadata::put);
        doc.put("version", agent.version());
        Documents.putInstant(doc, "createdAt", agent.createdAt());
        Documents.putInstant(doc, "updatedAt", agent.updatedAt());
        return doc;
    }

    private static Agent fromDocument(JsonNode doc) {
        Set<AgentId> aliases = new LinkedHashSet<>();
        doc.get("aliases").forEach(alias -> aliases.add(AgentId.of(alias.asText())));
        List<String> tools = new ArrayList<>();
        doc.get("tools").forEach(tool -> tools.add(tool.asText()));
        // Agents saved before approvals existed have no list: none of their tools needs approval.
        List<String> approvalRequired = new ArrayList<>();
        JsonNode gated = doc.get("approvalRequired");
        if (gated != null && !gated.isNull()) {
            gated.forEach(tool -> approvalRequired.add(tool.asText()));
        }
        JsonNode model = doc.get("model");
        Map<String, String> metadata = new LinkedHashMap<>();
        doc.get("metadata").fields().forEachRemaining(entry -> metadata.put(entry.getKey(), entry.getValue().asText()));
        return new Agent(AgentId.of(Documents.text(doc, "id")), aliases, Documents.text(doc, "name"),
                Documents.text(doc, "description"), Documents.text(doc, "instructions"), tools, approvalRequired,
                doc.get("historyTokenBudget").asInt(),
                new ModelSettings(Documents.text(model, "deployment"),
                        model.get("temperature").isNull() ? null : model.get("temperature").asDouble(),
                        model.get("maxOutputTokens").isNull() ? null : model.get("maxOutputTokens").asInt()),
                AgentStatus.valueOf(Documents.text(doc, "status")), metadata, doc.get("version").asLong(),
                Documents.instant(doc, "createdAt"), Documents.instant(doc, "updatedAt"));
    }
}
