package dev.agentchat.adapter.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP API behaves.
 *
 * @param heartbeatInterval how long a vanished or stalled client can keep a run going; a stream gets a heartbeat after half of it in silence
 * @param maxBodyBytes      the largest request body accepted
 */
public record HttpSettings(Duration heartbeatInterval, int maxBodyBytes) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

    public HttpSettings {
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("the heartbeat interval must be positive");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("the body limit must be at least 1024 bytes");
        }
    }

    public static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_HEARTBEAT, DEFAULT_MAX_BODY_BYTES);
    }
}
