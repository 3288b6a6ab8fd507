package dev.agentchat.domain.chat;

import dev.agentchat.domain.usage.Usage;
import java.util.Objects;

/** One item of a chat model's streamed answer, as the chat turn consumes it. */
public sealed interface ModelStreamItem {

    /** A piece of answer text. */
    record TextDelta(String text) implements ModelStreamItem {
        public TextDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The model asks for one tool to be called; the arguments are the model's JSON text. */
    record ToolCallRequest(String callId, String toolName, String arguments) implements ModelStreamItem {
        public ToolCallRequest {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(toolName, "toolName");
            Objects.requireNonNull(arguments, "arguments");
        }
    }

    /** Tokens the call consumed. */
    record UsageReport(Usage usage) implements ModelStreamItem {
        public UsageReport {
            Objects.requireNonNull(usage, "usage");
        }
    }

    /** The model finished its answer, for this reason. */
    record Finish(FinishReason reason) implements ModelStreamItem {
        public Finish {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
