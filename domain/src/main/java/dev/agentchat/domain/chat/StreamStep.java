package dev.agentchat.domain.chat;

/**
 * What a model call does after one item of its stream: keep reading, or it has ended with an
 * outcome (an answer cut at the longest message ends it before the stream does).
 */
public sealed interface StreamStep permits StreamStep.KeepStreaming, ModelCallOutcome {

    /** Keep reading the model's stream. */
    record KeepStreaming() implements StreamStep {
        static final KeepStreaming INSTANCE = new KeepStreaming();
    }
}
