package dev.agentchat.adapter.prometheus;

import java.time.Duration;

/** Bucket bounds given in seconds, as the conventions give them, for Micrometer's timers. */
final class Durations {
    private Durations() {
    }

    static Duration[] ofSeconds(double... seconds) {
        Duration[] bounds = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            bounds[i] = Duration.ofNanos(Math.round(seconds[i] * 1_000_000_000d));
        }
        return bounds;
    }
}
