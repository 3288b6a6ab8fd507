package dev.agentchat.ports.chat;

import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.usage.Usage;
import java.util.Objects;

/** How a chat turn ended. */
public sealed interface ChatOutcome {
    RunId runId();

    ThreadId threadId();

    /** The run completed; its answer is stored as {@code messageId}. */
    record Answered(RunId runId, ThreadId threadId, MessageId messageId, String answer, Usage usage)
            implements ChatOutcome {
        public Answered {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(threadId, "threadId");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(usage, "usage");
        }
    }

    /** The run ended failed, cancelled or incomplete; any partial answer is stored. */
    record Ended(Run run, String partialAnswer) implements ChatOutcome {
        public Ended {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(run.failure(), "the failure of an ended run");
            Objects.requireNonNull(partialAnswer, "partialAnswer");
        }

        public RunFailure failure() {
            return run.failure();
        }

        @Override
        public RunId runId() {
            return run.id();
        }

        @Override
        public ThreadId threadId() {
            return run.threadId();
        }
    }

    /**
     * The run paused for a person to approve its tool calls: it holds its thread and goes on, on
     * whichever instance, once they are decided; {@code answerSoFar} is its answer up to the pause.
     */
    record AwaitingApproval(Run run, String answerSoFar) implements ChatOutcome {
        public AwaitingApproval {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(answerSoFar, "answerSoFar");
        }

        @Override
        public RunId runId() {
            return run.id();
        }

        @Override
        public ThreadId threadId() {
            return run.threadId();
        }
    }
}
