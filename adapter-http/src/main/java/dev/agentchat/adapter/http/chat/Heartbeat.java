package dev.agentchat.adapter.http.chat;

import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.Timestamps;
import java.time.Instant;
import java.util.Objects;

/**
 * Nothing happened for a while on one stream: sent so that proxies and clients keep a quiet stream
 * open, and so that a client that has left is noticed (see {@link SseChatEventSink}). It belongs to
 * the connection, not to the run: it has no event id and is never kept or replayed, so it is no
 * {@link dev.agentchat.domain.chat.ChatEvent}.
 */
record Heartbeat(Instant timestamp) {
    Heartbeat {
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** The frame's data, as UTF-8, written like a chat event's: {@code {"type":"heartbeat","timestamp":...}}. */
    byte[] data() {
        return Json.writeUtf8(" ", json -> {
            json.writeStartObject();
            json.writeStringField("type", "heartbeat");
            json.writeStringField("timestamp", Timestamps.format(timestamp));
            json.writeEndObject();
        });
    }
}
