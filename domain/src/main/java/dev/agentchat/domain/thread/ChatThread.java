package dev.agentchat.domain.thread;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.refusal.ThreadBusy;
import dev.agentchat.domain.refusal.ThreadDeleted;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A conversation between one user and one agent.
 *
 * @param updatedAt   when the thread last changed: opened, continued or deleted
 * @param activeRunId the run answering in the thread now, or null: a thread takes one run at a time,
 *                    and claiming it through the thread's revision makes two racing chats see each other
 * @param revision  how many times the thread has changed since it was opened: a store replaces a
 *                  thread only over the revision before it, so no change is silently lost
 */
public record ChatThread(
        ThreadId id,
        AgentId agentId,
        UserId userId,
        String title,
        ThreadStatus status,
        Instant createdAt,
        Instant updatedAt,
        RunId activeRunId,
        long revision) {

    public ChatThread {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(userId, "userId");
        Require.nonBlank(title, "title");
        Require.maxLength(title, ThreadTitle.MAX_LENGTH, "title");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Require.nonNegative(revision, "revision");
    }

    /** A new, empty thread titled after the message that opens it. */
    public static ChatThread open(ThreadId id, AgentId agentId, UserId userId, String firstMessage, Instant now) {
        return new ChatThread(id, agentId, userId, ThreadTitle.fromFirstMessage(firstMessage),
                ThreadStatus.ACTIVE, now, now, null, 0);
    }

    /** A new thread whose first run, {@code firstRun}, starts with it. */
    public static ChatThread open(ThreadId id, AgentId agentId, UserId userId, String firstMessage, RunId firstRun,
                                  Instant now) {
        Objects.requireNonNull(firstRun, "firstRun");
        return new ChatThread(id, agentId, userId, ThreadTitle.fromFirstMessage(firstMessage),
                ThreadStatus.ACTIVE, now, now, firstRun, 0);
    }

    public Optional<RunId> activeRun() {
        return Optional.ofNullable(activeRunId);
    }

    public boolean isDeleted() {
        return status == ThreadStatus.DELETED;
    }

    public boolean belongsTo(ThreadScope scope) {
        return agentId.equals(scope.agentId()) && userId.equals(scope.userId());
    }

    public ThreadScope scope() {
        return new ThreadScope(agentId, userId);
    }

    /**
     * How long a claim may name a run that is not stored yet: the run is stored right after the
     * claim, so a run still missing after this was never stored (its set-up failed).
     */
    public static final Duration CLAIM_SETUP_TIME = Duration.ofSeconds(30);

    /**
     * The thread as it starts {@code next}. The thread's recorded active run, {@code active} as read
     * from the store, holds the thread only while it has not ended: a run that ended without
     * releasing the thread (its release was lost) does not keep it busy. A recorded run not found
     * holds it while it may still be being stored.
     *
     * @throws ThreadDeleted when the thread was soft-deleted: deleted threads take no new messages
     * @throws ThreadBusy    when the thread's active run is still going
     */
    public ChatThread startRun(RunId next, Optional<Run> active, Instant now) {
        Objects.requireNonNull(next, "next");
        if (isDeleted()) {
            throw new ThreadDeleted(id);
        }
        if (activeRunId != null && holdsThread(active.filter(run -> run.id().equals(activeRunId)), now)) {
            throw new ThreadBusy(id, activeRunId);
        }
        return new ChatThread(id, agentId, userId, title, status, createdAt, now, next, revision + 1);
    }

    private boolean holdsThread(Optional<Run> active, Instant now) {
        return active.map(run -> !run.status().isTerminal())
                .orElseGet(() -> updatedAt.plus(CLAIM_SETUP_TIME).isAfter(now));
    }

    /** The thread once {@code run} has ended: free for the next one. A run that is not the active one changes nothing. */
    public ChatThread runEnded(RunId run, Instant now) {
        if (!run.equals(activeRunId)) {
            return this;
        }
        return new ChatThread(id, agentId, userId, title, status, createdAt, now, null, revision + 1);
    }

    /**
     * Checks that the thread may be removed with everything in it: not while one of its runs is in
     * progress, since the run would go on writing into a thread that no longer exists.
     *
     * @throws ThreadBusy naming the run in progress
     */
    public void checkRemovable(List<Run> runs) {
        for (Run run : runs) {
            if (!run.status().isTerminal()) {
                throw new ThreadBusy(id, run.id());
            }
        }
    }

    /** The thread flagged as deleted; deleting it again changes nothing. */
    public ChatThread softDeleted(Instant now) {
        return isDeleted() ? this
                : new ChatThread(id, agentId, userId, title, ThreadStatus.DELETED, createdAt, now, activeRunId, revision + 1);
    }
}
