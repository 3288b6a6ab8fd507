package dev.agentchat.ports.step;

import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.thread.ThreadId;
import java.util.List;

/** Keeps the steps (tool calls) of runs. */
public interface StepStore {

    /** Stores a new step; a step with the same id is a {@link dev.agentchat.ports.store.RecordConflict}. */
    void create(Step step);

    /** Replaces a stored step; a missing one is a {@link dev.agentchat.ports.store.RecordConflict}. */
    void update(Step step);

    /** The run's steps in the order they started. */
    List<Step> listByRun(ThreadId threadId, RunId runId);

    /** Every step of every run of the thread, in the order they started. */
    List<Step> listByThread(ThreadId threadId);

    /** Removes every step of every run of the thread; how many there were. */
    int deleteByThread(ThreadId threadId);
}
