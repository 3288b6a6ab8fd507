package dev.agentchat.domain.run;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.lifecycle.IllegalTransition;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One turn of an agent answering a user message. Its state changes only through the transition
 * methods, which return the new run and the events the change emits, or refuse with
 * {@link IllegalTransition}.
 *
 * @param userId           the user the run acts for: whoever ends the run finds its thread in that user's scope
 * @param agentVersion     the version of the agent's definition the run answered with
 * @param requestMessageId the user message the run answers
 * @param answerMessageId  the stored answer, once there is one (also a partial one)
 * @param failure          why the run did not complete, once it has ended that way
 * @param revision         how many transitions the run has made: a store replaces a run only over the
 *                         revision before it, so no change is silently lost
 */
public record Run(
        RunId id,
        ThreadId threadId,
        AgentId agentId,
        UserId userId,
        long agentVersion,
        RunStatus status,
        MessageId requestMessageId,
        MessageId answerMessageId,
        Usage usage,
        RunFailure failure,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        long revision) {

    public Run {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestMessageId, "requestMessageId");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(createdAt, "createdAt");
        if (status != RunStatus.QUEUED && startedAt == null && status != RunStatus.CANCELLED && status != RunStatus.FAILED) {
            throw new IllegalArgumentException("a run that is " + status + " must have a start time");
        }
        if (status.isTerminal() && endedAt == null) {
            throw new IllegalArgumentException("a run that is " + status + " must have an end time");
        }
        if (agentVersion < 1) {
            throw new IllegalArgumentException("agent versions count from 1, was " + agentVersion);
        }
        if (revision < 0) {
            throw new IllegalArgumentException("revision must not be negative, was " + revision);
        }
    }

    /** A run waiting to start. */
    public static Run queue(RunId id, ThreadId threadId, ThreadScope scope, long agentVersion, MessageId requestMessageId,
                            Instant now) {
        return new Run(id, threadId, scope.agentId(), scope.userId(), agentVersion, RunStatus.QUEUED, requestMessageId, null, Usage.NONE, null,
                now, null, null, 0);
    }

    public Transition<Run> start(Instant now) {
        return Transition.silent(moveTo(RunStatus.IN_PROGRESS, answerMessageId, usage, null, now, null));
    }

    /** Someone asked the run to stop; it ends {@link RunStatus#CANCELLED} once its model call and tools are closed. */
    public Transition<Run> requestCancel(Instant now) {
        return Transition.silent(moveTo(RunStatus.CANCELLING, answerMessageId, usage, null, startedAt, null));
    }

    /** A user asks the run to stop: accepted while it goes, a no-op once it is cancelling, refused once it has ended. */
    public CancelRequest cancelRequested(Instant now) {
        if (status == RunStatus.CANCELLING) {
            return new CancelRequest.AlreadyCancelling(this);
        }
        if (status.isTerminal()) {
            return new CancelRequest.Refused(this);
        }
        return new CancelRequest.Accepted(requestCancel(now));
    }

    /**
     * Whether the run is unfinished long after any live instance would have ended it: an instance
     * ends every run within {@code longestRun}, so an older unfinished run lost its instance.
     */
    /** Whether the run ended so long ago that its events, kept for {@code retention}, are gone at {@code now}. */
    public boolean eventsExpired(Duration retention, Instant now) {
        return status.isTerminal() && endedAt.plus(retention).isBefore(now);
    }

    public boolean isAbandoned(Instant now, Duration longestRun) {
        Instant began = startedAt != null ? startedAt : createdAt;
        return !status.isTerminal() && began.plus(longestRun).isBefore(now);
    }

    /**
     * Ends a run whose instance stopped: cancelled if it was being cancelled, failed otherwise;
     * {@code partialAnswer} is what could be kept of its answer. Emits {@code error}.
     */
    public Transition<Run> abandon(MessageId partialAnswer, Instant now) {
        return status == RunStatus.CANCELLING
                ? cancel(RunFailure.CANCELLED, partialAnswer, usage, now)
                : fail(RunFailure.ABANDONED, partialAnswer, usage, now);
    }

    /** The answer is stored as {@code answer}; emits {@code done}. */
    public Transition<Run> complete(MessageId answer, Usage usage, Instant now) {
        Objects.requireNonNull(answer, "answer");
        Run done = moveTo(RunStatus.COMPLETED, answer, usage, null, startedAt, now);
        return Transition.emitting(done, new ChatEvent.Done(id, threadId, answer, usage.totalTokens(), now));
    }

    /** The run failed; {@code partialAnswer} is the stored part of the answer, if any. Emits {@code error}. */
    public Transition<Run> fail(RunFailure failure, MessageId partialAnswer, Usage usage, Instant now) {
        Objects.requireNonNull(failure, "failure");
        Run failed = moveTo(RunStatus.FAILED, partialAnswer, usage, failure, startedAt, now);
        return Transition.emitting(failed, new ChatEvent.Error(failure.message(), failure.code(), now));
    }

    /** The run was stopped before it finished. Emits {@code error} with the reason's code. */
    public Transition<Run> cancel(RunFailure reason, MessageId partialAnswer, Usage usage, Instant now) {
        Objects.requireNonNull(reason, "reason");
        Run cancelled = moveTo(RunStatus.CANCELLED, partialAnswer, usage, reason, startedAt, now);
        return Transition.emitting(cancelled, new ChatEvent.Error(reason.message(), reason.code(), now));
    }

    /** The run ended with a usable but unfinished answer (a limit cut it). Emits {@code error} with the reason's code. */
    public Transition<Run> endIncomplete(RunFailure reason, MessageId partialAnswer, Usage usage, Instant now) {
        Objects.requireNonNull(reason, "reason");
        Run incomplete = moveTo(RunStatus.INCOMPLETE, partialAnswer, usage, reason, startedAt, now);
        return Transition.emitting(incomplete, new ChatEvent.Error(reason.message(), reason.code(), now));
    }

    /**
     * The run ends as {@code outcome} says: completed, incomplete, cancelled or failed, with its usage.
     * {@code answer} is the stored answer: needed to complete, and for an early end whatever part of
     * it could be kept (or null).
     */
    public Transition<Run> end(RunOutcome outcome, MessageId answer, Instant now) {
        return switch (outcome) {
            case RunOutcome.Complete complete -> complete(answer, complete.usage(), now);
            case RunOutcome.EndIncomplete cut -> endIncomplete(cut.reason(), answer, cut.usage(), now);
            case RunOutcome.Cancel cancel -> cancel(cancel.reason(), answer, cancel.usage(), now);
            case RunOutcome.Fail fail -> fail(fail.failure(), answer, fail.usage(), now);
        };
    }

    /**
     * The end to record instead of {@code intended} when this run, as stored now, changed after
     * {@code intended} was decided. A run asked to cancel meanwhile (by this instance or another) ends
     * cancelled, with the answer and usage of {@code intended}; any other change is not one an ending
     * run may overrule, so there is none.
     */
    public Optional<Transition<Run>> endInsteadOf(Run intended, Instant now) {
        return status == RunStatus.CANCELLING
                ? Optional.of(cancel(RunFailure.CANCELLED, intended.answerMessageId(), intended.usage(), now))
                : Optional.empty();
    }

    /** The event that told the run's clients how it ended: {@code done}, or {@code error} with its reason; empty while it runs. */
    public Optional<ChatEvent> endEvent() {
        if (!status.isTerminal()) {
            return Optional.empty();
        }
        return Optional.of(status == RunStatus.COMPLETED && answerMessageId != null
                ? new ChatEvent.Done(id, threadId, answerMessageId, usage.totalTokens(), endedAt)
                : new ChatEvent.Error(failure != null ? failure.message() : "The run ended without an answer.",
                        failure != null ? failure.code() : "internal_error", endedAt));
    }

    /** The agent and user whose thread the run belongs to. */
    public ThreadScope scope() {
        return new ThreadScope(agentId, userId);
    }

    public Optional<Duration> duration() {
        return startedAt == null || endedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, endedAt));
    }

    private Run moveTo(RunStatus next, MessageId answer, Usage newUsage, RunFailure why, Instant started, Instant ended) {
        if (!status.canMoveTo(next)) {
            throw new IllegalTransition("run " + id, status, next);
        }
        Objects.requireNonNull(newUsage, "usage");
        return new Run(id, threadId, agentId, userId, agentVersion, next, requestMessageId, answer, newUsage, why, createdAt, started, ended,
                revision + 1);
    }
}
