package dev.agentchat.ports.run;

import java.time.Duration;
import java.util.Objects;

/**
 * How runs are watched, limited and kept replayable.
 *
 * @param maxRunDuration     the longest a run may take; it then ends incomplete ({@code run_timeout})
 * @param modelIdleTimeout   the longest the model may stay silent within a call; it then fails ({@code model_timeout})
 * @param onDisconnect       what a run does when its last client leaves
 * @param disconnectGrace    under the cancel policy, how long a run nobody follows waits for a client to
 *                           come back (an EventSource reconnects after about three seconds) before it stops
 * @param eventRetention     how long a run's events stay replayable after they happened
 * @param eventFlushInterval how often a run's new events are written to the event log while it runs:
 *                           the delay for a client following it through another instance, and what
 *                           bounds the log's writes by a run's duration rather than its length
 * @param cancelCheckInterval how often a running run looks in the store for a cancel asked of another instance
 * @param abandonGrace       how long past the longest run an unfinished run waits before it counts as abandoned
 * @param idempotencyWindow  how long a chat request's {@code Idempotency-Key} keeps naming the run it started
 */
public record RunSettings(Duration maxRunDuration, Duration modelIdleTimeout, DisconnectPolicy onDisconnect,
                          Duration disconnectGrace, Duration eventRetention, Duration eventFlushInterval,
                          Duration cancelCheckInterval, Duration abandonGrace, Duration idempotencyWindow) {

    /** What a run does when the last client watching it leaves. */
    public enum DisconnectPolicy {
        /** Finish and store the answer, so the client can resume the stream or read the thread. */
        CONTINUE,
        /** Stop the run, to save the tokens of an answer nobody reads. */
        CANCEL
    }

    public RunSettings {
        positive(maxRunDuration, "maxRunDuration");
        positive(modelIdleTimeout, "modelIdleTimeout");
        Objects.requireNonNull(onDisconnect, "onDisconnect");
        Objects.requireNonNull(disconnectGrace, "disconnectGrace");
        if (disconnectGrace.isNegative()) {
            throw new IllegalArgumentException("disconnectGrace must not be negative, was " + disconnectGrace);
        }
        positive(eventRetention, "eventRetention");
        positive(eventFlushInterval, "eventFlushInterval");
        positive(cancelCheckInterval, "cancelCheckInterval");
        positive(abandonGrace, "abandonGrace");
        positive(idempotencyWindow, "idempotencyWindow");
    }

    public static RunSettings defaults() {
        return new RunSettings(Duration.ofMinutes(10), Duration.ofSeconds(60), DisconnectPolicy.CONTINUE,
                Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMillis(250), Duration.ofSeconds(2),
                Duration.ofMinutes(1), Duration.ofHours(1));
    }

    /** The age past which an unfinished run has certainly lost the instance that ran it. */
    public Duration abandonedAfter() {
        return maxRunDuration.plus(abandonGrace);
    }

    public RunSettings withDisconnectPolicy(DisconnectPolicy value) {
        return new RunSettings(maxRunDuration, modelIdleTimeout, value, disconnectGrace, eventRetention,
                eventFlushInterval, cancelCheckInterval, abandonGrace, idempotencyWindow);
    }

    public RunSettings withDisconnectGrace(Duration value) {
        return new RunSettings(maxRunDuration, modelIdleTimeout, onDisconnect, value, eventRetention,
                eventFlushInterval, cancelCheckInterval, abandonGrace, idempotencyWindow);
    }

    public RunSettings withEventFlushInterval(Duration value) {
        return new RunSettings(maxRunDuration, modelIdleTimeout, onDisconnect, disconnectGrace, eventRetention,
                value, cancelCheckInterval, abandonGrace, idempotencyWindow);
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
