package dev.agentchat.adapter.memory.store;

import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.store.RecordConflict;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Steps in a concurrent map. */
public final class InMemoryStepStore implements StepStore {
    private static final Comparator<Step> FIRST_STARTED_FIRST = Comparator.comparing(Step::startedAt)
            .thenComparing(step -> step.id().value());

    private final ConcurrentMap<StepId, Step> steps = new ConcurrentHashMap<>();

    @Override
    public void create(Step step) {
        if (steps.putIfAbsent(step.id(), step) != null) {
            throw new RecordConflict("step " + step.id() + " exists already");
        }
    }

    @Override
    public void update(Step step) {
        if (steps.replace(step.id(), step) == null) {
            throw new RecordConflict("step " + step.id() + " does not exist");
        }
    }

    @Override
    public List<Step> listByRun(ThreadId threadId, RunId runId) {
        return steps.values().stream()
                .filter(step -> step.threadId().equals(threadId) && step.runId().equals(runId))
                .sorted(FIRST_STARTED_FIRST)
                .toList();
    }

    @Override
    public List<Step> listByThread(ThreadId threadId) {
        return steps.values().stream().filter(step -> step.threadId().equals(threadId)).sorted(FIRST_STARTED_FIRST).toList();
    }

    @Override
    public int deleteByThread(ThreadId threadId) {
        List<StepId> doomed = steps.values().stream().filter(step -> step.threadId().equals(threadId))
                .map(Step::id).toList();
        int removed = 0;
        for (StepId id : doomed) {
            if (steps.remove(id) != null) {
                removed++;
            }
        }
        return removed;
    }
}
