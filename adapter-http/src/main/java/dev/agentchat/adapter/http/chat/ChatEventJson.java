package dev.agentchat.adapter.http.chat;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.Timestamps;
import dev.agentchat.domain.chat.ChatEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
        if (event instanceof ChatEvent.Token token) {
            return encodeToken(token);
        }
        return Json.writeUtf8(" ", json -> {
            json.writeStartObject();
            writeMembers(event, json);
            json.writeStringField("timestamp", Timestamps.format(event.timestamp()));
            json.writeEndObject();
        });
    }

    private static final byte[] TOKEN_START = " {\"type\":\"token\",\"content\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOKEN_TIMESTAMP = "\",\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOKEN_END = "\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /**
     * A token's frame written by hand: it is most of what a stream carries, and through a JSON
     * generator it cost about five times the time and bytes. The same JSON as the generator's: the
     * content's UTF-8 as it is, with quotes, backslashes and control characters escaped (the bytes of a
     * multi-byte character are all above 0x7F, so none of them is ever mistaken for one of those).
     */
    private static byte[] encodeToken(ChatEvent.Token token) {
        byte[] content = token.content().getBytes(StandardCharsets.UTF_8);
        byte[] timestamp = Timestamps.format(token.timestamp()).getBytes(StandardCharsets.US_ASCII);
        int escapes = 0;
        for (byte b : content) {
            if (b == '"' || b == '\\' || (b >= 0 && b < 0x20)) {
                escapes += shortEscape(b) != 0 ? 1 : 5;
            }
        }
        byte[] frame = new byte[TOKEN_START.length + content.length + escapes + TOKEN_TIMESTAMP.length + timestamp.length
                + TOKEN_END.length];
        int at = put(frame, 0, TOKEN_START);
        if (escapes == 0) {
            at = put(frame, at, content);
        } else {
            for (byte b : content) {
                if (b == '"' || b == '\\' || (b >= 0 && b < 0x20)) {
                    frame[at++] = '\\';
                    byte escape = shortEscape(b);
                    if (escape != 0) {
                        frame[at++] = escape;
                    } else {
                        frame[at++] = 'u';
                        frame[at++] = '0';
                        frame[at++] = '0';
                        frame[at++] = HEX[b >> 4];
                        frame[at++] = HEX[b & 0xF];
                    }
                } else {
                    frame[at++] = b;
                }
            }
        }
        at = put(frame, at, TOKEN_TIMESTAMP);
        at = put(frame, at, timestamp);
        put(frame, at, TOKEN_END);
        return frame;
    }

    /** The letter of a two-character escape, or 0 for those written as six characters (backslash, u and four hex digits). */
    private static byte shortEscape(byte b) {
        return switch (b) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '\n' -> 'n';
            case '\r' -> 'r';
            case '\t' -> 't';
            case '\b' -> 'b';
            case '\f' -> 'f';
            default -> 0;
        };
    }

    private static int put(byte[] frame, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, frame, at, bytes.length);
        return at + bytes.length;
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
        }
    }
}
