package dev.agentchat.adapter.cosmos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;

/**
 * A run event as an object of an event batch's {@code events} array: its sequence, a type tag and
 * the event's fields. Timestamps keep their nanoseconds (ISO-8601 text), as the event log returns
 * events exactly as they were appended.
 */
final class RunEventDocuments {
    /** The largest magnitude a double, and so a JSON number in Cosmos DB, holds exactly. */
    private static final long EXACT_IN_A_DOUBLE = 1L << 53;

    private RunEventDocuments() {
    }

    static ObjectNode toDocument(RunEvent runEvent) {
        ObjectNode doc = Documents.JSON.createObjectNode();
        putLong(doc, "seq", runEvent.sequence());
        switch (runEvent.event()) {
            case ChatEvent.Token token -> doc.put("type", "token").put("content", token.content());
            case ChatEvent.TraceStart start -> doc.put("type", "trace_start").put("stepId", start.stepId().value())
                    .put("tool", start.tool()).put("arguments", start.arguments());
            case ChatEvent.TraceUpdate update -> doc.put("type", "trace_update").put("stepId", update.stepId().value())
                    .put("progress", update.progress());
            case ChatEvent.TraceEnd end -> {
                doc.put("type", "trace_end").put("stepId", end.stepId().value()).put("status", end.status())
                        .put("output", end.output()).put("error", end.error());
                putLong(doc, "latencyMs", end.latencyMs());
            }
            case ChatEvent.Done done -> {
                doc.put("type", "done").put("runId", done.runId().value()).put("threadId", done.threadId().value())
                        .put("messageId", done.messageId().value());
                putLong(doc, "tokensUsed", done.tokensUsed());
            }
            case ChatEvent.Error error -> doc.put("type", "error").put("message", error.message()).put("code", error.code());
        }
        Documents.putExactInstant(doc, "timestamp", runEvent.event().timestamp());
        return doc;
    }

    /** The event's sequence, without reading the rest of it. */
    static long sequence(JsonNode doc) {
        return doc.get("seq").asLong();
    }

    static RunEvent fromDocument(JsonNode doc) {
        Instant timestamp = Documents.exactInstant(doc, "timestamp");
        String type = Documents.text(doc, "type");
        ChatEvent event = switch (type) {
            case "token" -> new ChatEvent.Token(Documents.text(doc, "content"), timestamp);
            case "trace_start" -> new ChatEvent.TraceStart(StepId.of(Documents.text(doc, "stepId")),
                    Documents.text(doc, "tool"), Documents.text(doc, "arguments"), timestamp);
            case "trace_update" -> new ChatEvent.TraceUpdate(StepId.of(Documents.text(doc, "stepId")),
                    Documents.text(doc, "progress"), timestamp);
            case "trace_end" -> new ChatEvent.TraceEnd(StepId.of(Documents.text(doc, "stepId")), Documents.text(doc, "status"),
                    Documents.text(doc, "output"), Documents.text(doc, "error"), doc.get("latencyMs").asLong(), timestamp);
            case "done" -> new ChatEvent.Done(RunId.of(Documents.text(doc, "runId")), ThreadId.of(Documents.text(doc, "threadId")),
                    MessageId.of(Documents.text(doc, "messageId")), doc.get("tokensUsed").asLong(), timestamp);
            case "error" -> new ChatEvent.Error(Documents.text(doc, "message"), Documents.text(doc, "code"), timestamp);
            default -> throw new IllegalStateException("unknown run event type in the event log: " + type);
        };
        return new RunEvent(sequence(doc), event);
    }

    /**
     * A number while a double holds it exactly, text beyond: Cosmos DB keeps JSON numbers as doubles.
     * {@link JsonNode#asLong()} reads either back.
     */
    private static void putLong(ObjectNode doc, String field, long value) {
        if (value >= -EXACT_IN_A_DOUBLE && value <= EXACT_IN_A_DOUBLE) {
            doc.put(field, value);
        } else {
            doc.put(field, Long.toString(value));
        }
    }
}
