package dev.agentchat.adapter.http.chat;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.Timestamps;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.ports.chat.wire.ChatEventWire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A chat event as the JSON data of one SSE frame: its wire form ({@link ChatEventWire}: a {@code type},
 * snake_case members and a timestamp), the one the event log keeps too.
 */
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
        return encodeWireForm(event);
    }

    private static final byte[] TOKEN_START = " {\"type\":\"token\",\"content\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOKEN_TIMESTAMP = "\",\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOKEN_END = "\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    /**
     * A token's frame written by hand: it is most of what a stream carries, and through a JSON
     * generator it cost about five times the time and bytes. Byte for byte what {@link #encodeWireForm}
     * writes for it (a test holds the two together): the content's UTF-8 as it is, with quotes,
     * backslashes and control characters escaped (the bytes of a multi-byte character are all above
     * 0x7F, so none of them is ever mistaken for one of those).
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

    /**
     * The event's frame data through the general path: its one wire form ({@link ChatEventWire}) written
     * by a JSON generator, the timestamp in the API's format.
     */
    static byte[] encodeWireForm(ChatEvent event) {
        Map<String, Object> tree = ChatEventWire.encode(event);
        return Json.writeUtf8(" ", json -> writeValue(tree, json));
    }

    private static void writeValue(Object value, JsonGenerator json) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case String text -> json.writeString(text);
            case Long number -> json.writeNumber(number);
            case Boolean flag -> json.writeBoolean(flag);
            case Instant instant -> json.writeString(Timestamps.format(instant));
            case Map<?, ?> members -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> member : members.entrySet()) {
                    json.writeFieldName((String) member.getKey());
                    writeValue(member.getValue(), json);
                }
                json.writeEndObject();
            }
            case List<?> elements -> {
                json.writeStartArray();
                for (Object element : elements) {
                    writeValue(element, json);
                }
                json.writeEndArray();
            }
            // The tree's leaves are a closed list of JDK types, though Java cannot seal them.
            default -> throw new IllegalArgumentException("not a value of a chat event's wire form: " + value.getClass());
        }
    }
}
