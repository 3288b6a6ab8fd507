package dev.agentchat.domain.message;

/** Who said a message. */
public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL
}
