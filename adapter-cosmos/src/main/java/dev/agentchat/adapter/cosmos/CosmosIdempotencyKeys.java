package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.chat.IdempotencyKeys;
import dev.agentchat.ports.chat.IdempotentRequest;
import dev.agentchat.ports.store.StoreFailure;
import dev.agentchat.ports.time.Clock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Idempotency keys in the {@code threads} container, in the partition of their agent and user: one
 * document per key, naming the request that holds it. Cosmos DB's unique ids and ETags make a claim
 * atomic without a lock.
 */
public final class CosmosIdempotencyKeys implements IdempotencyKeys {
    static final String TYPE = "idempotency";
    /**
     * How often a claim starts over when the key changed under it (released, or taken over by another
     * expired-key claim); each lap means some other claim made progress, so a few are plenty.
     */
    private static final int ATTEMPTS = 5;

    private final CosmosContainer container;
    private final RequestCharges charges;
    private final Clock clock;

    /** {@code clock} is the wall clock the documents' time to live counts from. */
    CosmosIdempotencyKeys(CosmosContainer container, RequestCharges charges, Clock clock) {
        this.container = container;
        this.charges = charges;
        this.clock = clock;
    }

    @Override
    public Optional<IdempotentRequest> claim(IdempotentRequest request, Instant now) {
        String id = documentId(request.key());
        PartitionKey partition = partition(request.scope());
        ObjectNode doc = toDocument(request);
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                if (created(doc, partition)) {
                    return Optional.empty();
                }
                Optional<CosmosItemResponse<JsonNode>> held = read(id, partition);
                if (held.isEmpty()) {
                    continue; // released since: create again
                }
                IdempotentRequest holder = fromDocument(held.get().getItem());
                if (!holder.isExpired(now)) {
                    return Optional.of(holder);
                }
                if (replaced(doc, id, partition, held.get().getETag())) {
                    return Optional.empty();
                }
            }
        } catch (CosmosException e) {
            throw CosmosErrors.failure("claiming idempotency key " + id, e);
        }
        throw new StoreFailure("claiming idempotency key " + id + " failed: it changed " + ATTEMPTS + " times meanwhile");
    }

    @Override
    public void release(IdempotentRequest request) {
        String id = documentId(request.key());
        PartitionKey partition = partition(request.scope());
        try {
            Optional<CosmosItemResponse<JsonNode>> held = read(id, partition);
            if (held.isEmpty() || !request.runId().value().equals(Documents.text(held.get().getItem(), "runId"))) {
                return; // free already, or another request's claim: that one stays
            }
            charges.delete(container, "release idempotency key", () -> container.deleteItem(id, partition,
                    new CosmosItemRequestOptions().setIfMatchETag(held.get().getETag())));
        } catch (CosmosException e) {
            // Gone or replaced since the read: the key no longer names this request, which is all release promises.
            if (e.getStatusCode() != CosmosErrors.NOT_FOUND && e.getStatusCode() != CosmosErrors.PRECONDITION_FAILED) {
                throw CosmosErrors.failure("releasing idempotency key " + id, e);
            }
        }
    }

    /** True when the key was free and now names the request; false when another request holds it (409). */
    private boolean created(ObjectNode doc, PartitionKey partition) {
        try {
            charges.create(container, "claim idempotency key", () -> container.createItem(doc, partition, new CosmosItemRequestOptions()));
            return true;
        } catch (CosmosException e) {
            if (e.getStatusCode() == CosmosErrors.CONFLICT) {
                return false;
            }
            throw e;
        }
    }

    /** True when the expired holder read with {@code etag} was still there and now the request holds the key. */
    private boolean replaced(ObjectNode doc, String id, PartitionKey partition, String etag) {
        try {
            charges.replace(container, "take over idempotency key", () -> container.replaceItem(doc, id, partition,
                    new CosmosItemRequestOptions().setIfMatchETag(etag)));
            return true;
        } catch (CosmosException e) {
            if (e.getStatusCode() == CosmosErrors.PRECONDITION_FAILED || e.getStatusCode() == CosmosErrors.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private Optional<CosmosItemResponse<JsonNode>> read(String id, PartitionKey partition) {
        try {
            return Optional.of(charges.read(container, "read idempotency key", () -> container.readItem(id, partition, JsonNode.class)));
        } catch (CosmosException e) {
            if (e.getStatusCode() == CosmosErrors.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Derived from the key by hashing: a client's key may hold characters a Cosmos DB id must not
     * ('/', '\\', '?', '#'). The ':' keeps it apart from thread ids, which never hold one.
     */
    static String documentId(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
            return "idem:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static PartitionKey partition(ThreadScope scope) {
        return new PartitionKey(CosmosThreadStore.scopeKey(scope));
    }

    private ObjectNode toDocument(IdempotentRequest request) {
        ObjectNode doc = Documents.document(documentId(request.key()), "scope", CosmosThreadStore.scopeKey(request.scope()), TYPE);
        doc.put("agentId", request.scope().agentId().value());
        doc.put("userId", request.scope().userId().value());
        doc.put("key", request.key());
        doc.put("fingerprint", request.fingerprint());
        doc.put("threadId", request.threadId().value());
        doc.put("runId", request.runId().value());
        Documents.putExactInstant(doc, "expiresAt", request.expiresAt());
        Documents.putTimeToLive(doc, request.expiresAt(), clock.now());
        return doc;
    }

    private static IdempotentRequest fromDocument(JsonNode doc) {
        return new IdempotentRequest(new ThreadScope(AgentId.of(Documents.text(doc, "agentId")), UserId.of(Documents.text(doc, "userId"))),
                Documents.text(doc, "key"), Documents.text(doc, "fingerprint"), ThreadId.of(Documents.text(doc, "threadId")),
                RunId.of(Documents.text(doc, "runId")), Documents.exactInstant(doc, "expiresAt"));
    }
}
