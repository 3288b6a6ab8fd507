package dev.agentchat.ports.telemetry;

import dev.agentchat.domain.chat.ModelCallOutcome;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import java.util.Objects;
import java.util.Optional;

/** How a piece of {@link Work} ended: what is known only then. */
public sealed interface Outcome {

    /**
     * Whether the work ended in an error, and which, in a few words of a bounded set (the {@code error.type} of
     * OpenTelemetry's conventions): one rule for every watcher, so that a span and a metric never disagree.
     */
    Optional<String> errorType();

    /** Ended well: nothing more to tell. */
    Outcome DONE = new Ended(Optional.empty());

    /** The work failed, {@code errorType} saying how in a few words of a bounded set (a code, a class name). */
    static Outcome failed(String errorType) {
        return new Ended(Optional.of(errorType));
    }

    /** Any work but the kinds below ended, failed as {@code errorType} says or, when empty, well. */
    record Ended(Optional<String> errorType) implements Outcome {
        public Ended {
            Objects.requireNonNull(errorType, "errorType");
        }
    }

    /**
     * An HTTP request was answered with {@code status}; {@code route} is the route's template
     * ({@code /api/agents/{agentId}/chat}), or empty when no route took it.
     */
    record Responded(int status, Optional<String> route) implements Outcome {
        public Responded {
            Objects.requireNonNull(route, "route");
        }

        /** A server error (5xx), by its status code; a client's (4xx) is the client's, not the service's. */
        @Override
        public Optional<String> errorType() {
            return status >= 500 ? Optional.of(Integer.toString(status)) : Optional.empty();
        }
    }

    /** A run ended, or paused: {@code run} as it was last recorded, with its status, usage and failure. */
    record RunEnded(Run run) implements Outcome {
        public RunEnded {
            Objects.requireNonNull(run, "run");
        }

        /** A failed run, by its failure's code. */
        @Override
        public Optional<String> errorType() {
            return run.status() == RunStatus.FAILED && run.failure() != null ? Optional.of(run.failure().code())
                    : Optional.empty();
        }
    }

    /**
     * A model call ended as {@code outcome} says (its usage, its answer, the tools it asked for, or its
     * failure); {@code responseModel} is the model the service says answered, when it said.
     */
    record ModelAnswered(ModelCallOutcome outcome, Optional<String> responseModel) implements Outcome {
        public ModelAnswered {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(responseModel, "responseModel");
        }

        /**
         * By the run failure's code, a call that failed ({@code model_error}, {@code rate_limited}...), was stopped
         * ({@code cancelled}) or was cut short by a limit of the service's ({@code model_timeout}); not one the model
         * itself stopped at its token limit ({@code max_output_tokens}): that is an answer, finished for length.
         */
        @Override
        public Optional<String> errorType() {
            return switch (outcome) {
                case ModelCallOutcome.CallTools tools -> Optional.empty();
                case RunOutcome.Complete complete -> Optional.empty();
                case RunOutcome.EndIncomplete cut -> cut.reason().code().equals(MAX_OUTPUT_TOKENS) ? Optional.empty()
                        : Optional.of(cut.reason().code());
                case RunOutcome.Cancel cancel -> Optional.of(cancel.reason().code());
                case RunOutcome.Fail fail -> Optional.of(fail.failure().code());
            };
        }

        private static final String MAX_OUTPUT_TOKENS = "max_output_tokens";
    }

    /** A tool call ended: its step as recorded, with its status, output or error. */
    record ToolEnded(Step step) implements Outcome {
        public ToolEnded {
            Objects.requireNonNull(step, "step");
        }

        /** A call that failed ({@code tool_error}, the word MCP's conventions use), was stopped, or was denied. */
        @Override
        public Optional<String> errorType() {
            return switch (step.status()) {
                case FAILED -> Optional.of("tool_error");
                case CANCELLED -> Optional.of("cancelled");
                case DENIED -> Optional.of("denied");
                case COMPLETED, IN_PROGRESS, AWAITING_APPROVAL -> Optional.empty();
            };
        }
    }

    /**
     * A store operation ended, failed as {@code errorType} says or well; {@code requestCharge} is what it
     * cost in the store's units (Cosmos DB's request units), when the store says.
     */
    record StoreEnded(Optional<String> errorType, Optional<Double> requestCharge) implements Outcome {
        public StoreEnded {
            Objects.requireNonNull(errorType, "errorType");
            Objects.requireNonNull(requestCharge, "requestCharge");
        }
    }
}
