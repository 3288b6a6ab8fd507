package dev.agentchat.domain.thread;

import dev.agentchat.domain.Require;

/** Identifies a conversation thread. */
public record ThreadId(String value) {
    public ThreadId {
        Require.identifier(value, "thread id");
    }

    public static ThreadId of(String value) {
        return new ThreadId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
