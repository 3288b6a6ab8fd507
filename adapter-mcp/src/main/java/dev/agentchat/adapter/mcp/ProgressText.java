package dev.agentchat.adapter.mcp;

import io.modelcontextprotocol.spec.McpSchema;

/** A server's progress notification as the line a client shows: "3/10 Downloading", "3/10", "3 Downloading". */
final class ProgressText {
    private ProgressText() {
    }

    static String of(McpSchema.ProgressNotification progress) {
        String count = number(progress.progress()) + (progress.total() == null ? "" : "/" + number(progress.total()));
        String message = progress.message();
        return message == null || message.isBlank() ? count : count + " " + message.strip();
    }

    /** Counts are JSON numbers; most are whole, and read better without a ".0". */
    private static String number(Double value) {
        return value == Math.rint(value) && !value.isInfinite() ? Long.toString(value.longValue()) : value.toString();
    }
}
