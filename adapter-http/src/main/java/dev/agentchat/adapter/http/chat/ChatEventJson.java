package dev.agentchat.adapter.http.chat;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.Timestamps;
import dev.agentchat.domain.chat.ChatEvent;
import java.io.IOException;

/** A chat event as the JSON data of one SSE frame: a {@code type}, snake_case members and a timestamp. */
final class ChatEventJson {
    private ChatEventJson() {
    }

    /**
     * The event's frame data, as UTF-8: bytes go to the socket without a further conversion. It
     * starts with a space so that the frame reads {@code data: {...}}: the SSE parser drops that one
     * space, and clients that split on {@code "data: "} work too.
     */
    static byte[] encode(ChatEvent event) {
        return Json.writeUtf8(" ", json -> {
            json.writeStartObject();
            writeMembers(event, json);
            json.writeStringField("timestamp", Timestamps.format(event.timestamp()));
            json.writeEndObject();
        });
    }

    private static void writeMembers(ChatEvent event, JsonGenerator json) throws IOException {
        switch (event) {
            case ChatEvent.Token token -> {
                json.writeStringField("type", "token");
                json.writeStringField("content", token.content());
            }
            case ChatEvent.TraceStart start -> {
                json.writeStringField("type", "trace_start");
                json.writeStringField("step_id", start.stepId().value());
                json.writeStringField("tool", start.tool());
                json.writeStringField("arguments", start.arguments());
            }
            case ChatEvent.TraceUpdate update -> {
                json.writeStringField("type", "trace_update");
                json.writeStringField("step_id", update.stepId().value());
                json.writeStringField("progress", update.progress());
            }
            case ChatEvent.TraceEnd end -> {
                json.writeStringField("type", "trace_end");
                json.writeStringField("step_id", end.stepId().value());
                json.writeStringField("status", end.status());
                if (end.output() != null) {
                    json.writeStringField("output", end.output());
                }
                if (end.error() != null) {
                    json.writeStringField("error", end.error());
                }
                json.writeNumberField("latency_ms", end.latencyMs());
            }
            case ChatEvent.Done done -> {
                json.writeStringField("type", "done");
                json.writeStringField("run_id", done.runId().value());
                json.writeStringField("thread_id", done.threadId().value());
                json.writeStringField("message_id", done.messageId().value());
                json.writeNumberField("tokens_used", done.tokensUsed());
            }
            case ChatEvent.Error error -> {
                json.writeStringField("type", "error");
                json.writeStringField("message", error.message());
                json.writeStringField("code", error.code());
            }
            case ChatEvent.Heartbeat heartbeat -> json.writeStringField("type", "heartbeat");
        }
    }
}
