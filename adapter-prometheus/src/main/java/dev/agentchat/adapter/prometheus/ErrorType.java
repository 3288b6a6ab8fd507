package dev.agentchat.adapter.prometheus;

import dev.agentchat.domain.chat.ModelCallOutcome;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.ports.telemetry.Outcome;

/**
 * The {@code error.type} of an outcome, as OpenTelemetry's conventions use it: a short code of a bounded
 * set when the work ended in an error, {@link CappedLabel#ABSENT} when it did not.
 */
final class ErrorType {
    private ErrorType() {
    }

    static String of(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Ended ended -> ended.errorType().orElse(CappedLabel.ABSENT);
            // The HTTP conventions: a server error is the error, its status code the type.
            case Outcome.Responded responded -> responded.status() >= 500
                    ? Integer.toString(responded.status()) : CappedLabel.ABSENT;
            case Outcome.RunEnded ended -> ended.run().status() == RunStatus.FAILED && ended.run().failure() != null
                    ? ended.run().failure().code() : CappedLabel.ABSENT;
            case Outcome.ModelAnswered answered -> of(answered.outcome());
            case Outcome.ToolEnded ended -> ended.step().status() == StepStatus.FAILED ? "tool_error" : CappedLabel.ABSENT;
            case Outcome.StoreEnded ended -> ended.errorType().orElse(CappedLabel.ABSENT);
        };
    }

    /**
     * A model call that gave no answer nor tool calls: failed (the service's code, {@code model_error}),
     * cancelled, or cut short by a limit of the service's ({@code model_timeout}), by its run failure's code; not
     * one the model itself stopped at its token limit ({@code max_output_tokens}: an answer). The spans agree.
     */
    private static String of(ModelCallOutcome outcome) {
        return switch (outcome) {
            case ModelCallOutcome.CallTools calls -> CappedLabel.ABSENT;
            case RunOutcome.Complete complete -> CappedLabel.ABSENT;
            case RunOutcome.EndIncomplete cut -> cut.reason().code().equals("max_output_tokens") ? CappedLabel.ABSENT
                    : cut.reason().code();
            case RunOutcome.Cancel cancel -> cancel.reason().code();
            case RunOutcome.Fail fail -> fail.failure().code();
        };
    }
}
