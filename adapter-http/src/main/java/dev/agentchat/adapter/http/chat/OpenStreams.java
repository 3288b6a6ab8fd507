package dev.agentchat.adapter.http.chat;

import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.time.Signal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The event streams open now, so that a service that stops lets them send their last events first. */
public final class OpenStreams {
    private final Clock clock;
    /** Wakes a stop waiting for the last stream; its patience is counted by the clock. */
    private final Signal changed;
    private final AtomicInteger open = new AtomicInteger();

    public OpenStreams(Clock clock) {
        this.clock = clock;
        this.changed = clock.newSignal();
    }

    /** A stream started (the chat stream, the AG-UI stream). */
    public void opened() {
        open.incrementAndGet();
    }

    /** A stream that started has ended. */
    public void closed() {
        if (open.decrementAndGet() == 0) {
            changed.signal();
        }
    }

    /** Waits at most {@code patience} until no stream is open; whether none is. */
    public boolean awaitNone(Duration patience) throws InterruptedException {
        return changed.awaitUntil(() -> open.get() == 0, clock.nanoTime() + patience.toNanos());
    }
}
