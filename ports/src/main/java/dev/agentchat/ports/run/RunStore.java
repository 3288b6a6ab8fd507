package dev.agentchat.ports.run;

import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Keeps runs. */
public interface RunStore {

    /** Stores a new run; a run with the same id is a {@link dev.agentchat.ports.store.RecordConflict}. */
    void create(Run run);

    /**
     * Replaces a stored run with its next revision. A missing run, or one stored at another revision
     * than the one before, is a {@link dev.agentchat.ports.store.RecordConflict}.
     */
    void update(Run run);

    Optional<Run> find(ThreadId threadId, RunId runId);

    /** The thread's runs, oldest first. */
    List<Run> listByThread(ThreadId threadId);

    /**
     * Runs of any thread that an instance works on ({@link dev.agentchat.domain.run.RunStatus#isWorking})
     * and were created before {@code createdBefore}, oldest first, at most {@code limit}: the
     * candidates for having lost their instance. Runs waiting for approval are not among them.
     */
    List<Run> listUnfinished(Instant createdBefore, int limit);

    /**
     * Runs of any thread that wait for approval and whose calls expired before {@code expiredBy},
     * soonest expired first, at most {@code limit}: those to go on as if denied.
     */
    List<Run> listAwaitingApproval(Instant expiredBy, int limit);

    /** Removes every run of the thread; how many there were. */
    int deleteByThread(ThreadId threadId);
}
