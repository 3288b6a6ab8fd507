package dev.agentchat.adapter.memory.store;

import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.store.RecordConflict;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Runs in a concurrent map. */
public final class InMemoryRunStore implements RunStore {
    private static final Comparator<Run> OLDEST_FIRST = Comparator.comparing(Run::createdAt)
            .thenComparing(run -> run.id().value());
    private static final Comparator<Run> SOONEST_EXPIRED_FIRST = Comparator.comparing((Run run) -> run.approvals().expiresAt())
            .thenComparing(run -> run.id().value());

    private final ConcurrentMap<RunId, Run> runs = new ConcurrentHashMap<>();

    @Override
    public void create(Run run) {
        if (runs.putIfAbsent(run.id(), run) != null) {
            throw new RecordConflict("run " + run.id() + " exists already");
        }
    }

    @Override
    public void update(Run run) {
        runs.compute(run.id(), (id, stored) -> {
            if (stored == null) {
                throw new RecordConflict("run " + run.id() + " does not exist");
            }
            if (stored.revision() != run.revision() - 1) {
                throw new RecordConflict("run " + run.id() + " changed meanwhile (revision " + stored.revision()
                        + ", not " + (run.revision() - 1) + ")");
            }
            return run;
        });
    }

    @Override
    public Optional<Run> find(ThreadId threadId, RunId runId) {
        return Optional.ofNullable(runs.get(runId)).filter(run -> run.threadId().equals(threadId));
    }

    @Override
    public List<Run> listByThread(ThreadId threadId) {
        return runs.values().stream().filter(run -> run.threadId().equals(threadId)).sorted(OLDEST_FIRST).toList();
    }

    @Override
    public List<Run> listUnfinished(Instant createdBefore, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return runs.values().stream()
                .filter(run -> run.status().isWorking() && run.createdAt().isBefore(createdBefore))
                .sorted(OLDEST_FIRST).limit(limit).toList();
    }

    @Override
    public List<Run> listAwaitingApproval(Instant expiredBy, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return runs.values().stream()
                .filter(run -> run.status() == RunStatus.REQUIRES_ACTION && run.approvals().expiresAt().isBefore(expiredBy))
                .sorted(SOONEST_EXPIRED_FIRST).limit(limit).toList();
    }

    @Override
    public int deleteByThread(ThreadId threadId) {
        int removed = 0;
        for (Run run : listByThread(threadId)) {
            if (runs.remove(run.id()) != null) {
                removed++;
            }
        }
        return removed;
    }
}
