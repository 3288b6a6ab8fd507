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
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.thread.ThreadPage;
import dev.agentchat.ports.thread.ThreadStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Threads in the {@code threads} container, one logical partition per agent and user. */
public final class CosmosThreadStore implements ThreadStore {
    private static final String THREAD = "thread";

    private final CosmosContainer container;
    private final RequestCharges charges;

    CosmosThreadStore(CosmosContainer container, RequestCharges charges) {
        this.container = container;
        this.charges = charges;
    }

    @Override
    public void create(ChatThread thread) {
        try {
            charges.create(container, "create thread", () -> container.createItem(toDocument(thread), partition(thread.scope()),
                    new CosmosItemRequestOptions()));
        } catch (CosmosException e) {
            throw CosmosErrors.failure("creating thread " + thread.id(), e);
        }
    }

    @Override
    public Optional<ChatThread> find(ThreadScope scope, ThreadId id) {
        try {
            JsonNode doc = charges.read(container, "read thread", () -> container.readItem(id.value(), partition(scope), JsonNode.class)).getItem();
            return Optional.of(fromDocument(doc));
        } catch (CosmosException e) {
            if (e.getStatusCode() == CosmosErrors.NOT_FOUND) {
                return Optional.empty();
            }
            throw CosmosErrors.failure("reading thread " + id, e);
        }
    }

    @Override
    public ThreadPage list(ThreadScope scope, Set<ThreadStatus> statuses, PageRequest page) {
        // The statuses are enum names, so writing them into the SQL cannot inject anything.
        String in = statuses.stream().map(status -> "'" + status.name() + "'").sorted().collect(Collectors.joining(", "));
        // The type test keeps out the other documents of the partition (idempotency keys).
        String where = " FROM c WHERE c.type = '" + THREAD + "' AND c.status IN (" + in + ")";
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions().setPartitionKey(partition(scope));
        return CosmosErrors.call("listing threads", () -> {
            List<ChatThread> threads = charges.list(container, "list threads", container.queryItems(new SqlQuerySpec(
                            "SELECT * " + where + " ORDER BY c.updatedAt DESC, c.id ASC OFFSET @offset LIMIT @limit",
                            List.of(new SqlParameter("@offset", page.offset()), new SqlParameter("@limit", page.limit()))),
                    options, JsonNode.class), CosmosThreadStore::fromDocument);
            long total = charges.first(container, "count threads", container.queryItems(new SqlQuerySpec("SELECT VALUE COUNT(1)" + where),
                    options, Long.class)).orElse(0L);
            return new ThreadPage(threads, total, page.limit(), page.offset());
        });
    }

    @Override
    public void update(ChatThread thread) {
        try {
            // Read the stored revision with its ETag, then replace only if that ETag still holds: a change
            // made by anyone in between (another instance) fails with 412 instead of being overwritten.
            CosmosItemResponse<JsonNode> stored = charges.read(container, "read thread", () -> container.readItem(thread.id().value(),
                    partition(thread.scope()), JsonNode.class));
            Revisions.requireNext("thread " + thread.id(), stored.getItem(), thread.revision());
            charges.replace(container, "update thread", () -> container.replaceItem(toDocument(thread), thread.id().value(),
                    partition(thread.scope()), new CosmosItemRequestOptions().setIfMatchETag(stored.getETag())));
        } catch (CosmosException e) {
            if (e.getStatusCode() == CosmosErrors.NOT_FOUND) {
                throw new RecordConflict("thread " + thread.id() + " does not exist");
            }
            throw CosmosErrors.failure("updating thread " + thread.id(), e);
        }
    }

    @Override
    public boolean delete(ThreadScope scope, ThreadId id) {
        try {
            charges.delete(container, "delete thread", () -> container.deleteItem(id.value(), partition(scope), new CosmosItemRequestOptions()));
            return true;
        } catch (CosmosException e) {
            if (e.getStatusCode() == CosmosErrors.NOT_FOUND) {
                return false;
            }
            throw CosmosErrors.failure("deleting thread " + id, e);
        }
    }

    private static PartitionKey partition(ThreadScope scope) {
        return new PartitionKey(scopeKey(scope));
    }

    /** Agent and user ids hold no '|' (they are identifiers), so the pair is unambiguous. */
    static String scopeKey(ThreadScope scope) {
        return scope.agentId().value() + "|" + scope.userId().value();
    }

    private static ObjectNode toDocument(ChatThread thread) {
        ObjectNode doc = Documents.document(thread.id().value(), "scope", scopeKey(thread.scope()), THREAD);
        doc.put("agentId", thread.agentId().value());
        doc.put("userId", thread.userId().value());
        doc.put("title", thread.title());
        doc.put("status", thread.status().name());
        Documents.putInstant(doc, "createdAt", thread.createdAt());
        Documents.putInstant(doc, "updatedAt", thread.updatedAt());
        if (thread.activeRunId() != null) {
            doc.put("activeRunId", thread.activeRunId().value());
        }
        doc.put("revision", thread.revision());
        return doc;
    }

    private static ChatThread fromDocument(JsonNode doc) {
        return new ChatThread(ThreadId.of(Documents.text(doc, "id")), AgentId.of(Documents.text(doc, "agentId")),
                UserId.of(Documents.text(doc, "userId")), Documents.text(doc, "title"),
                ThreadStatus.valueOf(Documents.text(doc, "status")), Documents.instant(doc, "createdAt"),
                Documents.instant(doc, "updatedAt"),
                doc.hasNonNull("activeRunId") ? RunId.of(doc.get("activeRunId").asText()) : null,
                doc.get("revision").asLong());
    }
}
