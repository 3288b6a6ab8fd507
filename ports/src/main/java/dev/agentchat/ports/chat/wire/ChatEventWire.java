package dev.agentchat.ports.chat.wire;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one definition of each chat event's wire form, which the HTTP stream sends and the event log
 * keeps: an ordered tree of plain values, {@code type} first, then the event's members in snake_case,
 * then its {@code timestamp}. A member with nothing to say (a failed tool call's output) is left out.
 *
 * <p>The leaves are {@link String}, {@link Long}, {@link Boolean}, {@code null} and, for a time (the
 * timestamp, an approval's {@code expires_at}), an {@link Instant}: each medium writes time in its own precision (the HTTP API to the millisecond,
 * the event log to the nanosecond, as it returns events exactly as they were appended), so the tree
 * leaves that choice to the adapter rather than fixing one. Nested {@link Map}s and {@link java.util.List}s
 * are allowed too, and each adapter's converter writes them, though no event has one yet.
 *
 * <p>Adding an event: a record in {@link ChatEvent}, then the compiler asks for its case in
 * {@link #encode}, which asks for a {@link Type}, which asks for its case in {@link #decode}.
 */
public final class ChatEventWire {
    /** The key of the event's type name: the first of every tree. */
    public static final String TYPE = "type";
    /** The key of the event's time: the last of every tree. */
    public static final String TIMESTAMP = "timestamp";

    private ChatEventWire() {
    }

    /** The name each event type has on the wire, its {@code type} member. */
    public enum Type {
        TOKEN("token"),
        TRACE_START("trace_start"),
        TRACE_UPDATE("trace_update"),
        TRACE_END("trace_end"),
        APPROVAL_REQUIRED("approval_required"),
        DONE("done"),
        ERROR("error");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /**
         * The type named {@code wireName}.
         *
         * @throws UnreadableEvent when no event type has that name (one written by a later version, say)
         */
        public static Type named(String wireName) {
            for (Type type : values()) {
                if (type.wireName.equals(wireName)) {
                    return type;
                }
            }
            throw new UnreadableEvent("no chat event type is named \"" + wireName + "\"");
        }
    }

    /** The event's wire form: a new, ordered map that the caller may keep. */
    public static Map<String, Object> encode(ChatEvent event) {
        Map<String, Object> tree = new LinkedHashMap<>(8);
        switch (event) {
            case ChatEvent.Token token -> {
                put(tree, Type.TOKEN);
                tree.put("content", token.content());
            }
            case ChatEvent.TraceStart start -> {
                put(tree, Type.TRACE_START);
                tree.put("step_id", start.stepId().value());
                tree.put("tool", start.tool());
                tree.put("arguments", start.arguments());
            }
            case ChatEvent.TraceUpdate update -> {
                put(tree, Type.TRACE_UPDATE);
                tree.put("step_id", update.stepId().value());
                tree.put("progress", update.progress());
            }
            case ChatEvent.TraceEnd end -> {
                put(tree, Type.TRACE_END);
                tree.put("step_id", end.stepId().value());
                tree.put("status", end.status());
                putIfPresent(tree, "output", end.output());
                putIfPresent(tree, "error", end.error());
                tree.put("latency_ms", end.latencyMs());
            }
            case ChatEvent.ApprovalRequired asked -> {
                put(tree, Type.APPROVAL_REQUIRED);
                tree.put("step_id", asked.stepId().value());
                tree.put("tool", asked.tool());
                tree.put("arguments", asked.arguments());
                tree.put("expires_at", asked.expiresAt());
                tree.put("client_side", asked.clientSide());
            }
            case ChatEvent.Done done -> {
                put(tree, Type.DONE);
                tree.put("run_id", done.runId().value());
                tree.put("thread_id", done.threadId().value());
                tree.put("message_id", done.messageId().value());
                tree.put("tokens_used", done.tokensUsed());
            }
            case ChatEvent.Error error -> {
                put(tree, Type.ERROR);
                tree.put("message", error.message());
                tree.put("code", error.code());
            }
        }
        tree.put(TIMESTAMP, event.timestamp());
        return tree;
    }

    /**
     * The event a wire form holds. Members it does not know are ignored, so that a later version may add one.
     *
     * @throws UnreadableEvent naming what is wrong: an unknown type, a member missing or of the wrong kind
     */
    public static ChatEvent decode(Map<String, ?> tree) {
        Members members = new Members(tree);
        Type type = Type.named(members.text(TYPE));
        Instant timestamp = members.instant(TIMESTAMP);
        try {
            return switch (type) {
                case TOKEN -> new ChatEvent.Token(members.text("content"), timestamp);
                case TRACE_START -> new ChatEvent.TraceStart(StepId.of(members.text("step_id")), members.text("tool"),
                        members.text("arguments"), timestamp);
                case TRACE_UPDATE -> new ChatEvent.TraceUpdate(StepId.of(members.text("step_id")), members.text("progress"),
                        timestamp);
                case TRACE_END -> new ChatEvent.TraceEnd(StepId.of(members.text("step_id")), members.text("status"),
                        members.optionalText("output"), members.optionalText("error"), members.count("latency_ms"), timestamp);
                case APPROVAL_REQUIRED -> new ChatEvent.ApprovalRequired(StepId.of(members.text("step_id")),
                        members.text("tool"), members.text("arguments"), members.instant("expires_at"), timestamp,
                        members.flagOrFalse("client_side"));
                case DONE -> new ChatEvent.Done(RunId.of(members.text("run_id")), ThreadId.of(members.text("thread_id")),
                        MessageId.of(members.text("message_id")), members.count("tokens_used"), timestamp);
                case ERROR -> new ChatEvent.Error(members.text("message"), members.text("code"), timestamp);
            };
        } catch (IllegalArgumentException e) {
            // An id the domain refuses (blank, say): the form is wrong, not the caller.
            throw new UnreadableEvent("a " + type.wireName() + " event with a value its type refuses: " + e.getMessage());
        }
    }

    private static void put(Map<String, Object> tree, Type type) {
        tree.put(TYPE, type.wireName());
    }

    private static void putIfPresent(Map<String, Object> tree, String key, String value) {
        if (value != null) {
            tree.put(key, value);
        }
    }

    /** Reads one tree's members, each of the kind it must be. */
    private record Members(Map<String, ?> tree) {
        String text(String key) {
            String text = optionalText(key);
            if (text == null) {
                throw missing(key);
            }
            return text;
        }

        String optionalText(String key) {
            Object value = tree.get(key);
            if (value == null || value instanceof String) {
                return (String) value;
            }
            throw wrongKind(key, "text", value);
        }

        /** A flag; false when absent, as in events logged before it was written. */
        boolean flagOrFalse(String key) {
            Object value = tree.get(key);
            if (value == null || value instanceof Boolean) {
                return Boolean.TRUE.equals(value);
            }
            throw wrongKind(key, "true or false", value);
        }

        /**
         * A whole number. It may come as decimal text: a store whose numbers are doubles (Cosmos DB) keeps
         * one beyond 2^53 as text so that it comes back exactly.
         */
        long count(String key) {
            Object value = tree.get(key);
            if (value instanceof Long number) {
                return number;
            }
            if (value instanceof String text) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw wrongKind(key, "a whole number", value);
                }
            }
            if (value == null) {
                throw missing(key);
            }
            throw wrongKind(key, "a whole number", value);
        }

        /** An instant, or its ISO-8601 text as a medium wrote it. */
        Instant instant(String key) {
            Object value = tree.get(key);
            if (value instanceof Instant instant) {
                return instant;
            }
            if (value instanceof String text) {
                try {
                    return Instant.parse(text);
                } catch (DateTimeParseException e) {
                    throw wrongKind(key, "an ISO-8601 instant", value);
                }
            }
            if (value == null) {
                throw missing(key);
            }
            throw wrongKind(key, "an instant", value);
        }

        private UnreadableEvent missing(String key) {
            return new UnreadableEvent(describe() + " has no \"" + key + "\"");
        }

        private UnreadableEvent wrongKind(String key, String kind, Object value) {
            return new UnreadableEvent(describe() + " has a \"" + key + "\" that is not " + kind + ": " + value);
        }

        private String describe() {
            return tree.get(TYPE) instanceof String type ? "a " + type + " event" : "an event";
        }
    }
}
