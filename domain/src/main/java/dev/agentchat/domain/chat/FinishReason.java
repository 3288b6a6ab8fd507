package dev.agentchat.domain.chat;

/** Why a model stopped generating. */
public enum FinishReason {
    /** The answer is complete. */
    STOP,
    /** The output token limit cut the answer. */
    LENGTH,
    /** The model wants tools called before it goes on. */
    TOOL_CALLS,
    /** The service's content filter withheld the rest of the answer. */
    CONTENT_FILTER
}
