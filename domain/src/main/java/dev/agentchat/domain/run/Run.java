package dev.agentchat.domain.run;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.lifecycle.IllegalTransition;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.refusal.ApprovalConflict;
import dev.agentchat.domain.refusal.ApprovalExpired;
import dev.agentchat.domain.refusal.InvalidApprovals;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * @param workedBefore     the time the run worked before its current stretch: a run paused for approval
 *                         does not work, and only working time counts towards its limit
 * @param resumedAt        when the current working stretch began, if the run was resumed after a pause
 *                         (null before its first resume: it has worked since {@code startedAt})
 * @param approvals        its last pause for approval, with the decisions once made (null if it never paused)
 * @param clientTools      the tools the client runs itself that its request offered the model beside the
 *                         agent's: kept so that whoever resumes the run after a pause offers them again
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
        long revision,
        Duration workedBefore,
        Instant resumedAt,
        ApprovalRound approvals,
        List<ToolDefinition> clientTools) {

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
        Objects.requireNonNull(workedBefore, "workedBefore");
        if (workedBefore.isNegative()) {
            throw new IllegalArgumentException("worked time cannot be negative, was " + workedBefore);
        }
        if (status == RunStatus.REQUIRES_ACTION && approvals == null) {
            throw new IllegalArgumentException("a run waiting for approval keeps what it waits for");
        }
        clientTools = List.copyOf(clientTools);
    }

    /** A run offered none of the client's own tools. */
    public Run(RunId id, ThreadId threadId, AgentId agentId, UserId userId, long agentVersion, RunStatus status,
               MessageId requestMessageId, MessageId answerMessageId, Usage usage, RunFailure failure, Instant createdAt,
               Instant startedAt, Instant endedAt, long revision, Duration workedBefore, Instant resumedAt,
               ApprovalRound approvals) {
        this(id, threadId, agentId, userId, agentVersion, status, requestMessageId, answerMessageId, usage, failure,
                createdAt, startedAt, endedAt, revision, workedBefore, resumedAt, approvals, List.of());
    }

    /** A run that never paused for approval. */
    public Run(RunId id, ThreadId threadId, AgentId agentId, UserId userId, long agentVersion, RunStatus status,
               MessageId requestMessageId, MessageId answerMessageId, Usage usage, RunFailure failure, Instant createdAt,
               Instant startedAt, Instant endedAt, long revision) {
        this(id, threadId, agentId, userId, agentVersion, status, requestMessageId, answerMessageId, usage, failure,
                createdAt, startedAt, endedAt, revision, Duration.ZERO, null, null);
    }

    /** A run waiting to start. */
    public static Run queue(RunId id, ThreadId threadId, ThreadScope scope, long agentVersion, MessageId requestMessageId,
                            Instant now) {
        return queue(id, threadId, scope, agentVersion, requestMessageId, List.of(), now);
    }

    /** A run waiting to start, whose model is offered {@code clientTools}, the client's own, beside the agent's. */
    public static Run queue(RunId id, ThreadId threadId, ThreadScope scope, long agentVersion, MessageId requestMessageId,
                            List<ToolDefinition> clientTools, Instant now) {
        return new Run(id, threadId, scope.agentId(), scope.userId(), agentVersion, RunStatus.QUEUED, requestMessageId, null,
                Usage.NONE, null, now, null, null, 0, Duration.ZERO, null, null, clientTools);
    }

    /**
     * The queued run starts working. Only a queued run starts: a run waiting for approval goes on only
     * through {@link #decide} or {@link #expire}, which record why.
     */
    public Transition<Run> start(Instant now) {
        if (status != RunStatus.QUEUED) {
            throw new IllegalTransition("run " + id, status, RunStatus.IN_PROGRESS);
        }
        return Transition.silent(moveTo(RunStatus.IN_PROGRESS, answerMessageId, usage, null, now, null));
    }

    /** Someone asked the run to stop; it ends {@link RunStatus#CANCELLED} once its model call and tools are closed. */
    public Transition<Run> requestCancel(Instant now) {
        return Transition.silent(moveTo(RunStatus.CANCELLING, answerMessageId, usage, null, startedAt, null));
    }

    /**
     * A user asks the run to stop: accepted while it goes, a no-op once it is cancelling, refused once
     * it has ended; a run waiting for approval is ended at once, for no instance works on it.
     */
    public CancelRequest cancelRequested(Instant now) {
        if (status == RunStatus.REQUIRES_ACTION) {
            return new CancelRequest.EndsWaiting(this);
        }
        if (status == RunStatus.CANCELLING) {
            return new CancelRequest.AlreadyCancelling(this);
        }
        if (status.isTerminal()) {
            return new CancelRequest.Refused(this);
        }
        return new CancelRequest.Accepted(requestCancel(now));
    }

    /** Whether the run ended so long ago that its events, kept for {@code retention}, are gone at {@code now}. */
    public boolean eventsExpired(Duration retention, Instant now) {
        return status.isTerminal() && endedAt.plus(retention).isBefore(now);
    }

    /**
     * Whether the run is unfinished long after any live instance would have ended it: an instance
     * ends every run within {@code longestRun} of working time, so a run that has worked longer lost
     * its instance. A run waiting for approval works on no instance, so it is never abandoned.
     */
    public boolean isAbandoned(Instant now, Duration longestRun) {
        return status.isWorking() && workedBy(now).compareTo(longestRun) > 0;
    }

    /** When the current working stretch began: the last resume, else the start (else the creation, if queued). */
    public Instant workingSince() {
        return resumedAt != null ? resumedAt : startedAt != null ? startedAt : createdAt;
    }

    /** The time the run has worked by {@code now}: its earlier stretches, and the current one while it works. */
    public Duration workedBy(Instant now) {
        if (!status.isWorking()) {
            return workedBefore;
        }
        Duration stretch = Duration.between(workingSince(), now);
        return workedBefore.plus(stretch.isNegative() ? Duration.ZERO : stretch);
    }

    /**
     * The run pauses until a person decides the calls of {@code round}; {@code usageSoFar} is what its
     * model calls used up to here. The stretch it worked is added to its working time. Emits nothing:
     * each waiting call's step tells of itself.
     */
    public Transition<Run> awaitApproval(ApprovalRound round, Usage usageSoFar, Instant now) {
        Objects.requireNonNull(round, "round");
        Objects.requireNonNull(usageSoFar, "usageSoFar");
        if (status != RunStatus.IN_PROGRESS) {
            throw new IllegalTransition("run " + id, status, RunStatus.REQUIRES_ACTION);
        }
        Run waiting = new Run(id, threadId, agentId, userId, agentVersion, RunStatus.REQUIRES_ACTION, requestMessageId,
                answerMessageId, usageSoFar, null, createdAt, startedAt, null, revision + 1, workedBy(now), resumedAt, round,
                clientTools);
        return Transition.silent(waiting);
    }

    /**
     * Judges a person's {@code decisions} on this run's waiting calls at {@code now}: accepted when they
     * decide each waiting call once (the run goes on, working again from {@code now}), or repeated when
     * the very same decisions were taken already. A call of one of the client's own tools is approved
     * with the output the client's tool gave, or denied; a call that waits for approval takes no output.
     *
     * @throws InvalidApprovals when a waiting call is left undecided, an id names no waiting call, or a
     *                          call is answered as the other kind
     * @throws ApprovalExpired  when the calls expired before the decisions came
     * @throws ApprovalConflict when the run was decided otherwise, or does not wait for approval
     */
    public ApprovalVerdict decide(Map<StepId, ApprovalDecision> decisions, Instant now) {
        Objects.requireNonNull(decisions, "decisions");
        if (status != RunStatus.REQUIRES_ACTION) {
            if (approvals != null && approvals.isDecided() && sameAsDecided(decisions)) {
                return new ApprovalVerdict.Repeated(this);
            }
            if (approvals != null && approvals.expiredUndecided() && approvals.namesItsCalls(decisions.keySet())) {
                // Decisions on calls that expired say so, whether or not the expiry was recorded first.
                throw new ApprovalExpired(this);
            }
            throw new ApprovalConflict(this, approvals != null && approvals.isDecided()
                    && approvals.decisions().keySet().containsAll(decisions.keySet())
                    ? "its tool calls were decided otherwise already."
                    : "it does not wait for approval.");
        }
        List<StepId> waiting = approvals.pending().stream().map(PendingCall::stepId).toList();
        List<StepId> missing = waiting.stream().filter(step -> !decisions.containsKey(step)).toList();
        List<StepId> unknown = decisions.keySet().stream().filter(step -> !waiting.contains(step)).sorted(
                java.util.Comparator.comparing(StepId::value)).toList();
        List<StepId> mismatched = approvals.pending().stream()
                .filter(call -> decisions.containsKey(call.stepId()) && !answersItsKind(call, decisions.get(call.stepId())))
                .map(PendingCall::stepId).toList();
        if (!missing.isEmpty() || !unknown.isEmpty() || !mismatched.isEmpty()) {
            throw new InvalidApprovals(missing, unknown, List.of(), mismatched);
        }
        if (!now.isBefore(approvals.expiresAt())) {
            throw new ApprovalExpired(this);
        }
        return new ApprovalVerdict.Accepted(resume(approvals.decidedAs(decisions), now));
    }

    /**
     * The run's waiting calls expired undecided by {@code now}: each counts as denied, and the run goes
     * on. Empty while they may still be decided, or when the run does not wait.
     *
     * @param waited how long the calls could be decided, for the model to be told
     */
    public Optional<Transition<Run>> expire(Duration waited, Instant now) {
        if (status != RunStatus.REQUIRES_ACTION || now.isBefore(approvals.expiresAt())) {
            return Optional.empty();
        }
        Map<StepId, ApprovalDecision> expired = new HashMap<>();
        for (PendingCall call : approvals.pending()) {
            expired.put(call.stepId(), call.clientSide() ? ApprovalDecision.unanswered(waited, now)
                    : ApprovalDecision.expired(waited, now));
        }
        return Optional.of(resume(approvals.decidedAs(expired), now));
    }

    /**
     * Whether {@code decision} is one {@code call} can take: a call the client runs, approved, reports what its
     * tool gave; a call that waits for a person has no output. A denial suits both.
     */
    private static boolean answersItsKind(PendingCall call, ApprovalDecision decision) {
        if (!decision.approved()) {
            return true;
        }
        return call.clientSide() == (decision.output() != null);
    }

    private boolean sameAsDecided(Map<StepId, ApprovalDecision> decisions) {
        Map<StepId, ApprovalDecision> made = approvals.decisions();
        if (!made.keySet().equals(decisions.keySet())) {
            return false;
        }
        List<StepId> differing = new ArrayList<>();
        decisions.forEach((step, decision) -> {
            if (!made.get(step).sameChoiceAs(decision)) {
                differing.add(step);
            }
        });
        return differing.isEmpty();
    }

    private Transition<Run> resume(ApprovalRound decided, Instant now) {
        Run resumed = new Run(id, threadId, agentId, userId, agentVersion, RunStatus.IN_PROGRESS, requestMessageId,
                answerMessageId, usage, null, createdAt, startedAt, null, revision + 1, workedBefore, now, decided, clientTools);
        return Transition.silent(resumed);
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
     * The waiting run ends incomplete instead of going on ({@code reason}: it had no working time left,
     * say), with {@code decided} recorded on its pause: the decisions taken on its calls (or their
     * expiry), so that the same decisions sent again are known as a repeat and get the run. Empty
     * {@code decided} records none. Emits {@code error} with the reason's code.
     */
    public Transition<Run> endWaitingIncomplete(RunFailure reason, Map<StepId, ApprovalDecision> decided,
                                                MessageId partialAnswer, Instant now) {
        Objects.requireNonNull(decided, "decided");
        if (status != RunStatus.REQUIRES_ACTION) {
            throw new IllegalTransition("run " + id, status, RunStatus.INCOMPLETE);
        }
        Run recorded = decided.isEmpty() ? this : new Run(id, threadId, agentId, userId, agentVersion, status,
                requestMessageId, answerMessageId, usage, failure, createdAt, startedAt, endedAt, revision, workedBefore,
                resumedAt, approvals.decidedAs(decided), clientTools);
        return recorded.endIncomplete(reason, partialAnswer, usage, now);
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
        Duration worked = next.isTerminal() && ended != null ? workedBy(ended) : workedBefore;
        return new Run(id, threadId, agentId, userId, agentVersion, next, requestMessageId, answer, newUsage, why, createdAt, started, ended,
                revision + 1, worked, resumedAt, approvals, clientTools);
    }
}
