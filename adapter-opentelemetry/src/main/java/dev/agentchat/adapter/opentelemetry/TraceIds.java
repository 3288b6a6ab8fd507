package dev.agentchat.adapter.opentelemetry;

import java.util.Objects;

/**
 * The ids of the span current on a thread, as a log line carries them.
 *
 * @param traceId the trace's id, 32 lower-case hex digits
 * @param spanId  the span's id, 16 lower-case hex digits
 */
public record TraceIds(String traceId, String spanId) {
    public TraceIds {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
    }
}
