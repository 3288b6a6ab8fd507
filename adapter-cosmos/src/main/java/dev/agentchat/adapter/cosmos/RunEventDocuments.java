package dev.agentchat.adapter.cosmos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.ports.chat.wire.ChatEventWire;
import dev.agentchat.ports.chat.wire.UnreadableEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run event as an object of an event batch's {@code events} array: its sequence and the event's one
 * wire form ({@link ChatEventWire}), the same members the HTTP stream sends. Timestamps keep their
 * nanoseconds (ISO-8601 text), as the event log returns events exactly as they were appended.
 */
final class RunEventDocuments {
    private static final String SEQUENCE = "seq";
    /** The largest magnitude a double, and so a JSON number in Cosmos DB, holds exactly. */
    private static final long EXACT_IN_A_DOUBLE = 1L << 53;
    private static final JsonNodeFactory NODES = Documents.JSON.getNodeFactory();

    /**
     * The members events stored before their wire form was shared were named in camelCase, and their
     * snake_case names now. Such events live on for the events' retention (an hour by default), so a
     * run in progress across an upgrade, or replayed soon after it, still reads whole. The table names
     * the events of that time and never grows: events are stored in snake_case alone now, whose names
     * hold no capital letter to be mistaken for these. It can go once no stored event predates the upgrade.
     */
    private static final Map<String, String> CAMEL_CASE_MEMBERS = Map.of(
            "stepId", "step_id",
            "latencyMs", "latency_ms",
            "runId", "run_id",
            "threadId", "thread_id",
            "messageId", "message_id",
            "tokensUsed", "tokens_used");

    private RunEventDocuments() {
    }

    static ObjectNode toDocument(RunEvent runEvent) {
        ObjectNode doc = NODES.objectNode();
        doc.set(SEQUENCE, node(runEvent.sequence()));
        ChatEventWire.encode(runEvent.event()).forEach((member, value) -> doc.set(member, node(value)));
        return doc;
    }

    /** The event's sequence, without reading the rest of it. */
    static long sequence(JsonNode doc) {
        return doc.get(SEQUENCE).asLong();
    }

    /**
     * The run event a document holds.
     *
     * @throws UnreadableEvent when it names no known event type or lacks a member its type needs
     */
    static RunEvent fromDocument(JsonNode doc) {
        Map<String, Object> tree = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : doc.properties()) {
            if (!member.getKey().equals(SEQUENCE)) {
                tree.put(CAMEL_CASE_MEMBERS.getOrDefault(member.getKey(), member.getKey()), value(member.getValue()));
            }
        }
        return new RunEvent(sequence(doc), ChatEventWire.decode(tree));
    }

    private static JsonNode node(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case String text -> NODES.textNode(text);
            case Long number -> node((long) number);
            case Boolean flag -> NODES.booleanNode(flag);
            case Instant instant -> NODES.textNode(instant.toString());
            case Map<?, ?> members -> {
                ObjectNode object = NODES.objectNode();
                members.forEach((member, memberValue) -> object.set((String) member, node(memberValue)));
                yield object;
            }
            case List<?> elements -> {
                ArrayNode array = NODES.arrayNode();
                elements.forEach(element -> array.add(node(element)));
                yield array;
            }
            // The tree's leaves are a closed list of JDK types, though Java cannot seal them.
            default -> throw new IllegalArgumentException("not a value of a chat event's wire form: " + value.getClass());
        };
    }

    /**
     * A number while a double holds it exactly, text beyond: Cosmos DB keeps JSON numbers as doubles.
     * The wire form reads a whole number from either.
     */
    private static JsonNode node(long value) {
        return value >= -EXACT_IN_A_DOUBLE && value <= EXACT_IN_A_DOUBLE ? NODES.numberNode(value)
                : NODES.textNode(Long.toString(value));
    }

    /** A stored value as the wire form's plain values: every number whole, as the wire form has only whole ones. */
    private static Object value(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            return node.asLong();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> members = new LinkedHashMap<>();
            node.properties().forEach(member -> members.put(member.getKey(), value(member.getValue())));
            return members;
        }
        if (node.isArray()) {
            List<Object> elements = new ArrayList<>(node.size());
            node.forEach(element -> elements.add(value(element)));
            return elements;
        }
        throw new UnreadableEvent("a stored event holds a value of no JSON kind: " + node.getNodeType());
    }
}
