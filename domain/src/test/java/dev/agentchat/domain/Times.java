package dev.agentchat.domain;

import java.time.Instant;

/** Fixed instants for tests: the domain reads no clock, so tests hand it these. */
public final class Times {
    public static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private Times() {
    }

    public static Instant millisAfterT0(long millis) {
        return T0.plusMillis(millis);
    }

    public static Instant secondsAfterT0(long seconds) {
        return T0.plusSeconds(seconds);
    }
}
