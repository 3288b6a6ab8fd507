package dev.agentchat.domain.message;

import dev.agentchat.domain.Require;

/** Identifies one message of a thread. */
public record MessageId(String value) {
    public MessageId {
        Require.identifier(value, "message id");
    }

    public static MessageId of(String value) {
        return new MessageId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
