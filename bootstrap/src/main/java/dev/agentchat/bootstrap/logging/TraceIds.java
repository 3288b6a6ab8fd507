package dev.agentchat.bootstrap.logging;

import java.util.Objects;

/** The trace and the span current on a thread, in the hex the W3C trace context writes them in. */
public record TraceIds(String traceId, String spanId) {
    public TraceIds {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
    }
}
