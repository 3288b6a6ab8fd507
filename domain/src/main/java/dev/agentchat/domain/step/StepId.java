package dev.agentchat.domain.step;

import dev.agentchat.domain.Require;

/** Identifies one step of a run, such as a tool call. */
public record StepId(String value) {
    public StepId {
        Require.identifier(value, "step id");
    }

    public static StepId of(String value) {
        return new StepId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
