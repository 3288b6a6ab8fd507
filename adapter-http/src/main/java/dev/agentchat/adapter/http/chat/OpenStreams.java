package dev.agentchat.adapter.http.chat;

import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.time.Signal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event streams open now, so that a service that stops lets them send their last events first; each is
 * watched by the {@link Telemetry} from its opening to its close (how many are open, for how long).
 */
public final class OpenStreams {
    private final Clock clock;
    private final Telemetry telemetry;
    /** Wakes a stop waiting for the last stream; its patience is counted by the clock. */
    private final Signal changed;
    private final AtomicInteger open = new AtomicInteger();

    /** What a stream carries, as its observation names it. */
    public enum Kind {
        /** A chat turn's events, on the chat request's response. */
        CHAT("chat"),
        /** A run's events, read by a client that follows or comes back to it. */
        RUN_EVENTS("run_events"),
        /** A run's events in AG-UI's encoding. */
        AG_UI("ag_ui");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public OpenStreams(Clock clock) {
        this(clock, Telemetry.OFF);
    }

    public OpenStreams(Clock clock, Telemetry telemetry) {
        this.clock = clock;
        this.telemetry = telemetry;
        this.changed = clock.newSignal();
    }

    /** What is current on this thread (the request a stream is the answer to): the parent of a stream opened for it. */
    Observation current() {
        return telemetry.current();
    }

    /** A stream of {@code kind} started (the chat stream, the AG-UI stream), within {@code parent}: its observation. */
    Observation opened(Kind kind, Observation parent) {
        open.incrementAndGet();
        return telemetry.begin(new Work.EventStream(kind.wireName()), parent);
    }

    /** A stream that started has ended (its observation is ended by the stream, which knows when). */
    void closed() {
        if (open.decrementAndGet() == 0) {
            changed.signal();
        }
    }

    /** Waits at most {@code patience} until no stream is open; whether none is. */
    public boolean awaitNone(Duration patience) throws InterruptedException {
        return changed.awaitUntil(() -> open.get() == 0, clock.nanoTime() + patience.toNanos());
    }
}
