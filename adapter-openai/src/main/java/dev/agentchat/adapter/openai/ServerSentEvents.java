package dev.agentchat.adapter.openai;

import dev.agentchat.ports.chat.ModelFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Splits a {@code text/event-stream} body, fed in arbitrary byte pieces, into the data of its events
 * (the WHATWG event-stream rules, for the {@code data} field only: that is all the chat stream uses).
 *
 * <p>Why our own: the SDK's parser (OpenAIServerSentEvents) takes every line for JSON and fails on a
 * comment line such as {@code : keep-alive} ("Invalid Json format keep-alive"), which proxies and
 * Azure itself send on quiet streams. Lines are split on bytes, before decoding: a network piece may
 * end inside a multi-byte character, but never inside a line break byte. Not thread-safe: fed by the
 * stream's one reader.
 */
final class ServerSentEvents {
    /** A line longer than this is no chat chunk: refuse it rather than grow without bound. */
    static final int MAX_LINE_BYTES = 1 << 20;

    /**
     * The line so far. A plain array rather than a ByteArrayOutputStream: every byte of the answer
     * passes through here, and that stream takes a lock and checks its capacity for each one.
     */
    private byte[] line = new byte[512];
    private int lineLength;
    /** The event's first data line; most events have only one, which is then the event's data as it is. */
    private String data;
    /** The event's data lines joined, once a second one comes. */
    private StringBuilder more;
    /** A CR ended the last line: a LF right after it belongs to the same line break. */
    private boolean afterCarriageReturn;

    /** Feeds the next piece of the body; returns the data of each event it completes, in order. */
    List<String> feed(byte[] bytes) {
        List<String> events = List.of();
        for (byte b : bytes) {
            if (b == '\n' && afterCarriageReturn) {
                afterCarriageReturn = false;
                continue;
            }
            afterCarriageReturn = b == '\r';
            if (b == '\n' || b == '\r') {
                String event = endLine();
                if (event != null) {
                    if (events.isEmpty()) {
                        events = new ArrayList<>(2);
                    }
                    events.add(event);
                }
            } else {
                if (lineLength == line.length) {
                    if (lineLength >= MAX_LINE_BYTES) {
                        throw new ModelFailure("model_protocol_error",
                                "The model service sent a line longer than " + MAX_LINE_BYTES + " bytes.");
                    }
                    line = Arrays.copyOf(line, Math.min(lineLength * 2, MAX_LINE_BYTES));
                }
                line[lineLength++] = b;
            }
        }
        return events;
    }

    /**
     * The body has ended: a last event not closed by its blank line is still taken (the standard drops
     * it, but some servers end their stream with {@code data: [DONE]\n} and no blank line).
     */
    Optional<String> finish() {
        if (lineLength > 0) {
            endLine();
        }
        return Optional.ofNullable(dispatch());
    }

    /** Ends the current line; returns the event's data when the line was the blank line that ends one. */
    private String endLine() {
        if (lineLength == 0) {
            return dispatch();
        }
        int length = lineLength;
        lineLength = 0;
        if (line[0] == ':') {
            return null; // a comment, e.g. ": keep-alive"
        }
        int colon = indexOfColon(length);
        if (colon == 4 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a'
                || colon < 0 && length == 4 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a') {
            // The value is decoded straight from the line's bytes: one copy of each chunk, not four.
            int start = colon < 0 ? length : colon + 1;
            if (start < length && line[start] == ' ') {
                start++;
            }
            String value = new String(line, start, length - start, StandardCharsets.UTF_8);
            if (data == null) {
                data = value;
            } else {
                if (more == null) {
                    more = new StringBuilder(data);
                }
                more.append('\n').append(value);
            }
        }
        // event, id and retry fields are not used by the chat completions stream.
        return null;
    }

    private int indexOfColon(int length) {
        for (int i = 0; i < length; i++) {
            if (line[i] == ':') {
                return i;
            }
        }
        return -1;
    }

    private String dispatch() {
        if (data == null) {
            return null;
        }
        String event = more == null ? data : more.toString();
        data = null;
        more = null;
        return event;
    }
}
