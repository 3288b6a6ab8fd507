package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.message.MessageStatus;
import dev.agentchat.domain.message.Role;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.message.MessageStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Messages in the {@code turns} container, in their thread's partition. */
public final class CosmosMessageStore implements MessageStore {
    /**
     * Append order, as a sequence: strictly increasing within this process and close to wall-clock
     * microseconds across processes, so that messages stored in the same millisecond keep their order.
     */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final CosmosContainer container;
    private final RequestCharges charges;

    CosmosMessageStore(CosmosContainer container, RequestCharges charges) {
        this.container = container;
        this.charges = charges;
    }

    @Override
    public void append(Message message) {
        ObjectNode doc = Documents.document(message.id().value(), "threadId", message.threadId().value(), "message");
        doc.put("runId", message.runId().value());
        doc.put("role", message.role().name());
        doc.put("content", message.content());
        doc.put("status", message.status().name());
        Documents.putInstant(doc, "createdAt", message.createdAt());
        doc.put("seq", SEQUENCE.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis() * 1_000)));
        try {
            charges.create(container, "append message", () -> container.createItem(doc, new PartitionKey(message.threadId().value()),
                    new CosmosItemRequestOptions()));
        } catch (CosmosException e) {
            throw CosmosErrors.failure("appending message " + message.id(), e);
        }
    }

    @Override
    public List<Message> listByThread(ThreadId threadId) {
        return CosmosErrors.call("listing the messages of thread " + threadId, () -> charges.list(container, "list messages",
                        container.queryItems(new SqlQuerySpec("SELECT * FROM c WHERE c.type = 'message' ORDER BY c.seq ASC"),
                                new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(threadId.value())), JsonNode.class), CosmosMessageStore::fromDocument));
    }

    @Override
    public int deleteByThread(ThreadId threadId) {
        PartitionKey partition = new PartitionKey(threadId.value());
        return CosmosErrors.call("deleting the messages of thread " + threadId, () -> {
            List<String> ids = charges.list(container, "find messages to delete", container.queryItems(
                    new SqlQuerySpec("SELECT VALUE c.id FROM c WHERE c.type = 'message'"),
                    new CosmosQueryRequestOptions().setPartitionKey(partition), String.class));
            for (String id : ids) {
                charges.delete(container, "delete message", () -> container.deleteItem(id, partition, new CosmosItemRequestOptions()));
            }
            return ids.size();
        });
    }

    private static Message fromDocument(JsonNode doc) {
        return new Message(MessageId.of(Documents.text(doc, "id")), ThreadId.of(Documents.text(doc, "threadId")),
                RunId.of(Documents.text(doc, "runId")), Role.valueOf(Documents.text(doc, "role")),
                Documents.text(doc, "content"), MessageStatus.valueOf(Documents.text(doc, "status")),
                Documents.instant(doc, "createdAt"));
    }
}
