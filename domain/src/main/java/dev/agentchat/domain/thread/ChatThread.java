package dev.agentchat.domain.thread;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.lifecycle.IllegalTransition;
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
 * A conversation between one user and one agent. It takes one run at a time: a run claims it, the
 * run's end releases it, and a soft delete closes it to new runs, as the table in {@link ThreadState}
 * allows; the moves that table refuses are refused here with {@link ThreadBusy} or {@link ThreadDeleted}.
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
     * Where the thread is, given its recorded active run, {@code active}, as read from the store:
     * deleted, busy while that run holds it, free otherwise. A claimed run holds the thread until it
     * ends; one that ended without releasing the thread (its release was lost) does not, and one not
     * found holds it only while it may still be being stored.
     */
    public ThreadState state(Optional<Run> active, Instant now) {
        ThreadState recorded = recorded();
        return recorded == ThreadState.BUSY && !holdsThread(active.filter(run -> run.id().equals(activeRunId)), now)
                ? ThreadState.FREE : recorded;
    }

    /** The state as the record shows it, taking every recorded claim as still holding the thread. */
    private ThreadState recorded() {
        if (isDeleted()) {
            return ThreadState.DELETED;
        }
        return activeRunId == null ? ThreadState.FREE : ThreadState.BUSY;
    }

    private boolean holdsThread(Optional<Run> active, Instant now) {
        return active.map(run -> !run.status().isTerminal())
                .orElseGet(() -> updatedAt.plus(CLAIM_SETUP_TIME).isAfter(now));
    }

    /**
     * The thread claimed for {@code next} ({@link ThreadMove#CLAIM}), {@code active} being its recorded
     * active run as read from the store (see {@link #state}).
     *
     * @throws ThreadDeleted when the thread was soft-deleted: deleted threads take no new messages
     * @throws ThreadBusy    when the thread's active run is still going
     */
    public ChatThread startRun(RunId next, Optional<Run> active, Instant now) {
        Objects.requireNonNull(next, "next");
        return moved(state(active, now), ThreadMove.CLAIM, next, now);
    }

    /**
     * Checks that the thread could be claimed now, as {@link #startRun} would.
     *
     * @throws ThreadDeleted when the thread was soft-deleted
     * @throws ThreadBusy    when the thread's active run is still going
     */
    public void checkClaimable(Optional<Run> active, Instant now) {
        ThreadState from = state(active, now);
        from.after(ThreadMove.CLAIM).orElseThrow(() -> refusal(from, ThreadMove.CLAIM));
    }

    /**
     * The thread once {@code run} has ended ({@link ThreadMove#RELEASE}): free for the next one. A run
     * that is not the active one changes nothing.
     */
    public ChatThread runEnded(RunId run, Instant now) {
        if (!run.equals(activeRunId)) {
            return this;
        }
        return moved(recorded(), ThreadMove.RELEASE, null, now);
    }

    /** The thread flagged as deleted ({@link ThreadMove#DELETE}); deleting it again changes nothing. */
    public ChatThread softDeleted(Instant now) {
        ChatThread deleted = moved(recorded(), ThreadMove.DELETE, activeRunId, now);
        return isDeleted() ? this : deleted;
    }

    /** The thread after {@code move} from {@code from}, naming {@code runAfter} as its active run; refused as the table says. */
    private ChatThread moved(ThreadState from, ThreadMove move, RunId runAfter, Instant now) {
        ThreadState to = from.after(move).orElseThrow(() -> refusal(from, move));
        ThreadStatus stored = to == ThreadState.DELETED ? ThreadStatus.DELETED : ThreadStatus.ACTIVE;
        return new ChatThread(id, agentId, userId, title, stored, createdAt, now, runAfter, revision + 1);
    }

    private RuntimeException refusal(ThreadState from, ThreadMove move) {
        return switch (from) {
            case BUSY -> new ThreadBusy(id, activeRunId);
            case DELETED -> new ThreadDeleted(id);
            case FREE -> new IllegalTransition("thread " + id, from, move);
        };
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
}
