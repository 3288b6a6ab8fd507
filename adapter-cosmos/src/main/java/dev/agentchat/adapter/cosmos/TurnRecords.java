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
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.store.RecordConflict;
import java.util.List;
import java.util.function.Function;

/**
 * The records of one kind (runs, steps) in the {@code turns} container, in their thread's partition:
 * create, replace, read and delete, the same for each kind.
 */
final class TurnRecords<T> {
    private final CosmosContainer container;
    private final String type;
    private final Function<JsonNode, T> fromDocument;
    private final RequestCharges charges;

    TurnRecords(CosmosContainer container, String type, Function<JsonNode, T> fromDocument, RequestCharges charges) {
        this.container = container;
        this.type = type;
        this.fromDocument = fromDocument;
        this.charges = charges;
    }

    ObjectNode document(String id, ThreadId threadId) {
        return Documents.document(id, "threadId", threadId.value(), type);
    }

    void create(ObjectNode doc, ThreadId threadId) {
        try {
            charges.create(container, "create " + type, () -> container.createItem(doc, new PartitionKey(threadId.value()),
                    new CosmosItemRequestOptions()));
        } catch (CosmosException e) {
            throw CosmosErrors.failure("creating " + type + " " + doc.get("id").asText(), e);
        }
    }

    void replace(ObjectNode doc, ThreadId threadId) {
        String id = doc.get("id").asText();
        try {
            charges.replace(container, "update " + type, () -> container.replaceItem(doc, id, new PartitionKey(threadId.value()),
                    new CosmosItemRequestOptions()));
        } catch (CosmosException e) {
            if (e.getStatusCode() == CosmosErrors.NOT_FOUND) {
                throw new RecordConflict(type + " " + id + " does not exist");
            }
            throw CosmosErrors.failure("updating " + type + " " + id, e);
        }
    }

    /** Replaces a record only over the revision before {@code revision}, and only if no one changed it meanwhile (ETag). */
    void replaceRevision(ObjectNode doc, ThreadId threadId, long revision) {
        String id = doc.get("id").asText();
        PartitionKey partition = new PartitionKey(threadId.value());
        try {
            CosmosItemResponse<JsonNode> stored = charges.read(container, "read " + type, () -> container.readItem(id, partition, JsonNode.class));
            Revisions.requireNext(type + " " + id, stored.getItem(), revision);
            charges.replace(container, "update " + type, () -> container.replaceItem(doc, id, partition,
                    new CosmosItemRequestOptions().setIfMatchETag(stored.getETag())));
        } catch (CosmosException e) {
            if (e.getStatusCode() == CosmosErrors.NOT_FOUND) {
                throw new RecordConflict(type + " " + id + " does not exist");
            }
            throw CosmosErrors.failure("updating " + type + " " + id, e);
        }
    }

    /** The thread's records of this kind matching {@code condition} (SQL over {@code c}), in {@code order}. */
    List<T> query(ThreadId threadId, String condition, String order, List<SqlParameter> parameters) {
        String sql = "SELECT * FROM c WHERE c.type = @type" + (condition.isEmpty() ? "" : " AND " + condition) + " ORDER BY " + order;
        List<SqlParameter> all = new java.util.ArrayList<>(parameters);
        all.add(new SqlParameter("@type", type));
        return CosmosErrors.call("reading the " + type + "s of thread " + threadId, () -> charges.list(container, "query " + type + "s",
                        container.queryItems(new SqlQuerySpec(sql, all),
                                new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(threadId.value())), JsonNode.class), fromDocument));
    }

    /**
     * The first {@code limit} records of this kind of every thread matching {@code condition}, in
     * {@code order}: a cross-partition query, which fans out to every physical partition, so kept for
     * rare sweeps.
     */
    List<T> queryAcrossThreads(String condition, String order, List<SqlParameter> parameters, int limit) {
        String sql = "SELECT TOP @limit * FROM c WHERE c.type = @type AND " + condition + " ORDER BY " + order;
        List<SqlParameter> all = new java.util.ArrayList<>(parameters);
        all.add(new SqlParameter("@type", type));
        all.add(new SqlParameter("@limit", limit));
        return CosmosErrors.call("reading " + type + "s across threads", () -> charges.list(container, "query " + type + "s across threads",
                        container.queryItems(new SqlQuerySpec(sql, all), new CosmosQueryRequestOptions(), JsonNode.class), fromDocument));
    }

    int deleteAll(ThreadId threadId) {
        PartitionKey partition = new PartitionKey(threadId.value());
        return CosmosErrors.call("deleting the " + type + "s of thread " + threadId, () -> {
            List<String> ids = charges.list(container, "find " + type + "s to delete", container.queryItems(
                    new SqlQuerySpec("SELECT VALUE c.id FROM c WHERE c.type = @type", List.of(new SqlParameter("@type", type))),
                    new CosmosQueryRequestOptions().setPartitionKey(partition), String.class));
            for (String id : ids) {
                charges.delete(container, "delete " + type, () -> container.deleteItem(id, partition, new CosmosItemRequestOptions()));
            }
            return ids.size();
        });
    }
}
