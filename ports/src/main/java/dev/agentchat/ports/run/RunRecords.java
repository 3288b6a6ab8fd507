package dev.agentchat.ports.run;

import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.thread.ThreadStore;
import java.util.Objects;

/** The stores that hold a conversation's records: what ending a run touches besides its event log. */
public record RunRecords(ThreadStore threads, MessageStore messages, RunStore runs, StepStore steps) {
    public RunRecords {
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(steps, "steps");
    }
}
