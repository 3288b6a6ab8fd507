package dev.agentchat.adapter.memory.model;

import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ModelFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A scripted answer: the cues a {@link ScriptedChatModel} plays for one request. */
public record Reply(List<Cue> cues) {
    public Reply {
        cues = List.copyOf(cues);
    }

    /** A reply that streams {@code pieces} as text, reports usage and finishes normally. */
    public static Reply text(String... pieces) {
        Builder builder = builder();
        for (String piece : pieces) {
            builder.text(piece);
        }
        return builder.usage(Usage.reported(10, pieces.length)).finish(FinishReason.STOP).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a reply cue by cue. */
    public static final class Builder {
        private final List<Cue> cues = new ArrayList<>();

        public Builder text(String piece) {
            return send(new ModelStreamItem.TextDelta(piece));
        }

        public Builder toolCall(String callId, String toolName, String arguments) {
            return send(new ModelStreamItem.ToolCallRequest(callId, toolName, arguments));
        }

        public Builder usage(Usage usage) {
            return send(new ModelStreamItem.UsageReport(usage));
        }

        public Builder finish(FinishReason reason) {
            return send(new ModelStreamItem.Finish(reason));
        }

        public Builder send(ModelStreamItem item) {
            cues.add(new Cue.Send(item));
            return this;
        }

        public Builder pause(Duration duration) {
            cues.add(new Cue.Pause(duration));
            return this;
        }

        public Builder fail(String code, String message) {
            cues.add(new Cue.Fail(new ModelFailure(code, message)));
            return this;
        }

        /** Sends nothing more until {@code release} completes, or the stream is closed. */
        public Builder await(CompletionStage<?> release) {
            cues.add(new Cue.Await(release));
            return this;
        }

        public Builder hang() {
            cues.add(new Cue.Hang());
            return this;
        }

        public Reply build() {
            return new Reply(cues);
        }
    }
}
