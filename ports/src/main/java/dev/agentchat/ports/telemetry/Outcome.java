package dev.agentchat.ports.telemetry;

import dev.agentchat.domain.chat.ModelCallOutcome;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.step.Step;
import java.util.Objects;
import java.util.Optional;

/** How a piece of {@link Work} ended: what is known only then. */
public sealed interface Outcome {

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
    }

    /** A run ended, or paused: {@code run} as it was last recorded, with its status, usage and failure. */
    record RunEnded(Run run) implements Outcome {
        public RunEnded {
            Objects.requireNonNull(run, "run");
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
    }

    /** A tool call ended: its step as recorded, with its status, output or error. */
    record ToolEnded(Step step) implements Outcome {
        public ToolEnded {
            Objects.requireNonNull(step, "step");
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
