package dev.agentchat.adapter.prometheus;

import dev.agentchat.ports.telemetry.Outcome;

/**
 * The {@code error.type} label of an outcome, as the port tells it ({@link Outcome#errorType()}): a short code of a
 * bounded set when the work ended in an error, {@link CappedLabel#ABSENT} when it did not.
 */
final class ErrorType {
    private ErrorType() {
    }

    static String of(Outcome outcome) {
        return outcome.errorType().orElse(CappedLabel.ABSENT);
    }
}
