package dev.agentchat.domain.run;

import dev.agentchat.domain.Require;

/** Identifies one run: one turn of the agent answering. */
public record RunId(String value) {
    public RunId {
        Require.identifier(value, "run id");
    }

    public static RunId of(String value) {
        return new RunId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
