package dev.agentchat.ports.chat.wire;

/**
 * A chat event's wire form that names no known event type, or lacks a member its type needs: written
 * by another version of the service, or damaged. The message says which type or member it is.
 */
public final class UnreadableEvent extends RuntimeException {
    public UnreadableEvent(String message) {
        super(message);
    }
}
