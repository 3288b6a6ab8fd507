package dev.agentchat.domain.chat;

import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.usage.Usage;
import java.util.List;
import java.util.Objects;

/** What the shell must do after feeding the chat turn one item or the end of the model's stream. */
public sealed interface NextAction {

    /** Keep reading the model's stream. */
    record KeepStreaming() implements NextAction {
        static final KeepStreaming INSTANCE = new KeepStreaming();
    }

    /** The answer is complete: store it and complete the run. */
    record Complete(String answer, Usage usage) implements NextAction {
        public Complete {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(usage, "usage");
        }
    }

    /** The model wants these tools called, then to be asked again with their results. */
    record CallTools(String answerSoFar, List<ModelStreamItem.ToolCallRequest> calls, Usage usage) implements NextAction {
        public CallTools {
            Objects.requireNonNull(answerSoFar, "answerSoFar");
            calls = List.copyOf(calls);
            Objects.requireNonNull(usage, "usage");
        }
    }

    /** The answer stopped short but is usable (a limit cut it): store it as incomplete and end the run so. */
    record EndIncomplete(String answer, RunFailure reason, Usage usage) implements NextAction {
        public EndIncomplete {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(usage, "usage");
        }
    }

    /** The turn was stopped from outside: keep what was answered as incomplete and cancel the run. */
    record Cancel(String partialAnswer, RunFailure reason, Usage usage) implements NextAction {
        public Cancel {
            Objects.requireNonNull(partialAnswer, "partialAnswer");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(usage, "usage");
        }
    }

    /** The turn failed: keep what was answered as incomplete and fail the run. */
    record Fail(String partialAnswer, RunFailure failure, Usage usage) implements NextAction {
        public Fail {
            Objects.requireNonNull(partialAnswer, "partialAnswer");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(usage, "usage");
        }
    }
}
