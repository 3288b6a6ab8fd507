package dev.agentchat.domain.thread;

import dev.agentchat.domain.Require;

/** Identifies the user a thread belongs to. */
public record UserId(String value) {
    public UserId {
        Require.identifier(value, "user id");
    }

    /** The one user every request acts as until authentication arrives. */
    public static final UserId ANONYMOUS = new UserId("anonymous");

    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
