package dev.agentchat.domain.message;

/** Whether a message is whole, or the part of an answer that was produced before its run ended early. */
public enum MessageStatus {
    COMPLETE,
    INCOMPLETE
}
