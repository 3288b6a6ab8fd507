package dev.agentchat.adapter.oidc;

import dev.agentchat.ports.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A clock a test sets and moves; its interval readings move with it, so refetch intervals pass when told. */
final class MovableClock implements Clock {
    private final AtomicReference<Instant> now;

    MovableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant now() {
        return now.get();
    }

    @Override
    public long nanoTime() {
        Instant at = now.get();
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    void advance(Duration duration) {
        now.updateAndGet(at -> at.plus(duration));
    }
}
