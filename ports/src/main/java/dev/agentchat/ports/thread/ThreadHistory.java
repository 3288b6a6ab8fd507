package dev.agentchat.ports.thread;

import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.thread.ChatThread;
import java.util.List;
import java.util.Objects;

/** A thread with its messages in order, and its runs (oldest first) with their steps. */
public record ThreadHistory(ChatThread thread, List<Message> messages, List<Run> runs, List<Step> steps) {
    public ThreadHistory {
        Objects.requireNonNull(thread, "thread");
        messages = List.copyOf(messages);
        runs = List.copyOf(runs);
        steps = List.copyOf(steps);
    }

    /** The steps of one run, in the order they started. */
    public List<Step> stepsOf(Run run) {
        return steps.stream().filter(step -> step.runId().equals(run.id())).toList();
    }
}
