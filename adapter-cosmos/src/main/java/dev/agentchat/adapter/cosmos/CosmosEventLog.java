package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.LoggedEvents;
import dev.agentchat.ports.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Run events in the {@code turns} container, in their thread's partition: one document per appended
 * batch, so that a run's stream costs one write per flush rather than one per token.
 */
public final class CosmosEventLog implements EventLog {
    static final String TYPE = "events";
    /** Batches asked for per query page; every batch read holds at least one wanted event, so a read needs at most its limit of them. */
    private static final int MAX_PAGE = 100;

    private final CosmosContainer container;
    private final TurnRecords<JsonNode> records;
    private final RequestCharges charges;
    private final Clock clock;

    /** {@code clock} is the wall clock the documents' time to live counts from. */
    CosmosEventLog(CosmosContainer container, RequestCharges charges, Clock clock) {
        this.container = container;
        this.records = new TurnRecords<>(container, TYPE, doc -> doc, charges);
        this.charges = charges;
        this.clock = clock;
    }

    @Override
    public void append(ThreadId threadId, RunId runId, List<RunEvent> events, long reservedThrough, Instant keepUntil) {
        if (events.isEmpty()) {
            return;
        }
        long first = events.getFirst().sequence();
        // The id holds the first sequence, so a batch written again (a retry of a write whose answer was
        // lost) is refused by Cosmos DB as a duplicate id (409): a conflict, and the first copy stays.
        // A batch that ends the run has one id whatever its first sequence, so that of the run's
        // instance and whoever ended the run after it (a follower, recovery), one end is kept.
        // No run, message or step id holds a ':', so these ids meet neither each other's nor theirs.
        ObjectNode doc = records.document(runId.value() + ":" + (events.getLast().isLast() ? "end" : first), threadId);
        doc.put("runId", runId.value());
        doc.put("first", first);
        doc.put("last", events.getLast().sequence());
        doc.put("reservedThrough", Math.max(reservedThrough, events.getLast().sequence()));
        doc.put("endsRun", events.getLast().isLast());
        // Epoch milliseconds, so the read's filter compares numbers; the stores keep milliseconds.
        Documents.putInstant(doc, "keepUntil", keepUntil);
        Documents.putTimeToLive(doc, keepUntil, clock.now());
        ArrayNode array = doc.putArray("events");
        events.forEach(event -> array.add(RunEventDocuments.toDocument(event)));
        records.create(doc, threadId);
    }

    @Override
    public List<RunEvent> readAfter(ThreadId threadId, RunId runId, long after, int limit, Instant now) {
        List<RunEvent> read = new ArrayList<>();
        if (limit <= 0) {
            return read;
        }
        SqlQuerySpec query = new SqlQuerySpec("SELECT c.events FROM c WHERE c.type = @type AND c.runId = @run"
                + " AND c.last > @after AND c.keepUntil > @now ORDER BY c.first ASC",
                List.of(new SqlParameter("@type", TYPE), new SqlParameter("@run", runId.value()),
                        new SqlParameter("@after", after), new SqlParameter("@now", now.toEpochMilli())));
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(threadId.value()));
        return CosmosErrors.call("reading the events of run " + runId, () -> {
            // Sequences only grow: an event at or below the last one taken (a batch that overlaps another)
            // is skipped, so a reader never sees an event twice or out of order.
            long last = after;
            try (Stream<JsonNode> batches = charges.query(container, "read events",
                    container.queryItems(query, options, JsonNode.class), Math.min(limit, MAX_PAGE))) {
                for (JsonNode batch : (Iterable<JsonNode>) batches::iterator) {
                    for (JsonNode event : batch.get("events")) {
                        if (RunEventDocuments.sequence(event) <= last) {
                            continue;
                        }
                        RunEvent runEvent = RunEventDocuments.fromDocument(event);
                        read.add(runEvent);
                        last = runEvent.sequence();
                        if (read.size() == limit) {
                            return read;
                        }
                    }
                }
            }
            return read;
        });
    }

    /**
     * Read from the run's last batch alone: batches are written in sequence order, each recording the
     * reservation as it then stood, which only grows (a batch written before reservations were recorded
     * counts as reserving its own events).
     */
    @Override
    public LoggedEvents logged(ThreadId threadId, RunId runId) {
        SqlQuerySpec query = new SqlQuerySpec("SELECT TOP 1 c.last, c.reservedThrough, c.endsRun, c.events FROM c"
                + " WHERE c.type = @type AND c.runId = @run ORDER BY c.first DESC",
                List.of(new SqlParameter("@type", TYPE), new SqlParameter("@run", runId.value())));
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(threadId.value()));
        return CosmosErrors.call("reading where the events of run " + runId + " stand", () -> {
            try (Stream<JsonNode> batches = charges.query(container, "read event bounds",
                    container.queryItems(query, options, JsonNode.class), 1)) {
                return batches.findFirst().map(CosmosEventLog::loggedEvents).orElse(LoggedEvents.NONE);
            }
        });
    }

    private static LoggedEvents loggedEvents(JsonNode batch) {
        long last = batch.get("last").asLong();
        JsonNode reserved = batch.get("reservedThrough");
        JsonNode ends = batch.get("endsRun");
        boolean endLogged = ends != null && !ends.isNull() ? ends.asBoolean()
                : RunEventDocuments.fromDocument(batch.get("events").get(batch.get("events").size() - 1)).isLast();
        return new LoggedEvents(last, endLogged, reserved == null || reserved.isNull() ? last : Math.max(last, reserved.asLong()));
    }

    @Override
    public int deleteByThread(ThreadId threadId) {
        return records.deleteAll(threadId);
    }
}
