package dev.agentchat.domain.chat;

import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import java.util.Objects;

/**
 * What a client watching a chat turn is told, in order. The set is closed: every consumer switches
 * over it without a default, so a new event type is a compile error wherever it must be handled.
 * Each is an event of the run, kept and replayed to every client that follows it; what belongs to one
 * connection alone (a heartbeat in a quiet stream) is the HTTP adapter's, not one of these.
 */
public sealed interface ChatEvent {

    /** When the event happened. */
    Instant timestamp();

    /** A piece of the answer's text, as the model produced it. */
    record Token(String content, Instant timestamp) implements ChatEvent {
        public Token {
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /** A tool call began. */
    record TraceStart(StepId stepId, String tool, String arguments, Instant timestamp) implements ChatEvent {
        public TraceStart {
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(arguments, "arguments");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /** A running tool call reported progress. */
    record TraceUpdate(StepId stepId, String progress, Instant timestamp) implements ChatEvent {
        public TraceUpdate {
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(progress, "progress");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /** A tool call ended; {@code output} is set when it succeeded, {@code error} when it failed. */
    record TraceEnd(StepId stepId, String status, String output, String error, long latencyMs, Instant timestamp)
            implements ChatEvent {
        public TraceEnd {
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /**
     * The model asked for a tool call that needs a person's approval, or ({@code clientSide}) a call of
     * one of the client's own tools, which the client runs: the run waits until it is decided or the
     * client gives its result, or until {@code expiresAt}, when it counts as denied.
     */
    record ApprovalRequired(StepId stepId, String tool, String arguments, Instant expiresAt, Instant timestamp,
                            boolean clientSide) implements ChatEvent {
        public ApprovalRequired {
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(arguments, "arguments");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(timestamp, "timestamp");
        }

        /** A call that waits for a person's approval. */
        public ApprovalRequired(StepId stepId, String tool, String arguments, Instant expiresAt, Instant timestamp) {
            this(stepId, tool, arguments, expiresAt, timestamp, false);
        }
    }

    /** The run completed; the answer is stored as {@code messageId}. */
    record Done(RunId runId, ThreadId threadId, MessageId messageId, long tokensUsed, Instant timestamp)
            implements ChatEvent {
        public Done {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(threadId, "threadId");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }

    /** The run ended without a complete answer. */
    record Error(String message, String code, Instant timestamp) implements ChatEvent {
        public Error {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(timestamp, "timestamp");
        }
    }
}
