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
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
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
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        if (text.startsWith(":")) {
            return null; // a comment, e.g. ": keep-alive"
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        if (field.equals("data")) {
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (hasData) {
                data.append('\n');
            }
            data.append(value.startsWith(" ") ? value.substring(1) : value);
            hasData = true;
        }
        // event, id and retry fields are not used by the chat completions stream.
        return null;
    }

    private String dispatch() {
        if (!hasData) {
            return null;
        }
        String event = data.toString();
        data.setLength(0);
        hasData = false;
        return event;
    }
}
