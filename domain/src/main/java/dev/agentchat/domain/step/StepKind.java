package dev.agentchat.domain.step;

/** What a step of a run did. */
public enum StepKind {
    /** One call of the model: its usage, cost and latency. */
    MODEL_CALL,
    /** One call of a tool the model asked for. */
    TOOL_CALL
}
