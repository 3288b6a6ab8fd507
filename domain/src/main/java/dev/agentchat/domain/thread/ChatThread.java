package dev.agentchat.domain.thread;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.run.Run;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A conversation between one user and one agent.
 *
 * @param updatedAt when the thread last changed: opened, continued or deleted
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
                ThreadStatus.ACTIVE, now, now, 0);
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
     * The thread as it is continued with a new turn.
     *
     * @throws ThreadDeleted when the thread was soft-deleted: deleted threads take no new messages
     */
    public ChatThread continued(Instant now) {
        if (isDeleted()) {
            throw new ThreadDeleted(id);
        }
        return new ChatThread(id, agentId, userId, title, status, createdAt, now, revision + 1);
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
        return isDeleted() ? this : new ChatThread(id, agentId, userId, title, ThreadStatus.DELETED, createdAt, now, revision + 1);
    }
}
