package dev.agentchat.adapter.cosmos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Small helpers to write and read the JSON documents of the stores: instants as epoch milliseconds. */
final class Documents {
    static final ObjectMapper JSON = new ObjectMapper();

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

    static String text(JsonNode doc, String field) {
        JsonNode value = doc.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
