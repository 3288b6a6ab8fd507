package dev.agentchat.adapter.cosmos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/** Small helpers to write and read the JSON documents of the stores: instants as epoch milliseconds. */
final class Documents {
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How long after {@code until} Cosmos DB purges a document. The stores decide what has expired by
     * the caller's clock; the purge only reclaims space. Cosmos DB hides an item from reads as soon as
     * its ttl runs out (counted from the server's {@code _ts}), so a ttl cut to the second would take
     * away what a reader whose clock runs behind is still owed: late is harmless, early is not.
     */
    static final Duration PURGE_GRACE = Duration.ofMinutes(5);

    private Documents() {
    }

    static ObjectNode document(String id, String partition, String partitionValue, String type) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("id", id);
        doc.put(partition, partitionValue);
        doc.put("type", type);
        return doc;
    }

    static void putInstant(ObjectNode doc, String field, Instant instant) {
        if (instant == null) {
            doc.putNull(field);
        } else {
            doc.put(field, instant.toEpochMilli());
        }
    }

    static Instant instant(JsonNode doc, String field) {
        JsonNode value = doc.get(field);
        return value == null || value.isNull() ? null : Instant.ofEpochMilli(value.asLong());
    }

    /**
     * An instant to the nanosecond, as ISO-8601 text: for values that must come back exactly and are
     * never compared in a query (a number would be a double there, which cannot hold epoch nanoseconds).
     */
    static void putExactInstant(ObjectNode doc, String field, Instant instant) {
        doc.put(field, instant.toString());
    }

    static Instant exactInstant(JsonNode doc, String field) {
        return Instant.parse(doc.get(field).asText());
    }

    /**
     * Sets the per-item {@code ttl} (seconds after the write) so that Cosmos DB purges the document
     * {@link #PURGE_GRACE} after {@code until}. Honoured only in a container whose default time to live
     * is set (see {@link CosmosStores}).
     */
    static void putTimeToLive(ObjectNode doc, Instant until, Instant now) {
        long seconds = Duration.between(now, until).plus(PURGE_GRACE).toSeconds();
        // Cosmos DB wants a positive 32-bit number of seconds.
        doc.put("ttl", (int) Math.clamp(seconds, 1, Integer.MAX_VALUE));
    }

    static String text(JsonNode doc, String field) {
        JsonNode value = doc.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
