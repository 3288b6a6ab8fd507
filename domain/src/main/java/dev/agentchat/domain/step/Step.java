package dev.agentchat.domain.step;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.approval.Approval;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.ModelCallOutcome;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.lifecycle.IllegalTransition;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One step of a run: a call of the model, or a call of a tool the model asked for. Tool calls are
 * created running and end completed, failed or cancelled; model calls are recorded once ended.
 *
 * @param round     which model call of the run this step belongs to, from 1: a tool call belongs to
 *                  the model call that asked for it
 * @param position  where a tool call stands among those its model call asked for, from 0: the order the
 *                  model must see their results in (0 for a model call)
 * @param name      the model's name for a model call, the tool's for a tool call
 * @param callId    the model's id for a tool call, which the tool's result must quote; empty for a model call
 * @param arguments the model's JSON arguments of a tool call, as text; empty for a model call
 * @param output    the tool's result, once completed
 * @param error     why the call failed, once failed
 * @param usage     the tokens and cost of a model call
 * @param approval  for a tool call that needed a person's approval, until when and what they decided
 *                  (null for a call that needed none); {@code arguments} stay the model's, the
 *                  decision holds any the person gave instead. A call of one of the client's own tools
 *                  has one too: it waits for the client's result as a call waits for approval
 */
public record Step(
        StepId id,
        RunId runId,
        ThreadId threadId,
        StepKind kind,
        int round,
        int position,
        String callId,
        String name,
        String arguments,
        StepStatus status,
        String output,
        String error,
        Usage usage,
        Instant startedAt,
        Instant endedAt,
        Approval approval) {

    public static final int MAX_PAYLOAD_LENGTH = 200_000;
    public static final int MAX_ERROR_LENGTH = 4_000;

    public Step {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(kind, "kind");
        if (round < 1) {
            throw new IllegalArgumentException("rounds count from 1, was " + round);
        }
        Require.nonNegative(position, "position");
        Objects.requireNonNull(callId, "call id");
        if (kind == StepKind.TOOL_CALL) {
            Require.nonBlank(callId, "call id");
        }
        Require.nonBlank(name, "name");
        Objects.requireNonNull(arguments, "arguments");
        Require.maxLength(arguments, MAX_PAYLOAD_LENGTH, "arguments");
        Objects.requireNonNull(status, "status");
        Require.maxLength(output, MAX_PAYLOAD_LENGTH, "output");
        Require.maxLength(error, MAX_ERROR_LENGTH, "error");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(startedAt, "startedAt");
        if (status.isTerminal() && endedAt == null) {
            throw new IllegalArgumentException("a step that is " + status + " must have an end time");
        }
        if ((status == StepStatus.AWAITING_APPROVAL || status == StepStatus.DENIED) && approval == null) {
            throw new IllegalArgumentException("a step that is " + status + " needs its approval");
        }
        if (status == StepStatus.AWAITING_APPROVAL && approval.decision() != null) {
            throw new IllegalArgumentException("a decided call waits no more");
        }
        if (status == StepStatus.DENIED && (approval.decision() == null || approval.decision().approved())) {
            throw new IllegalArgumentException("a denied call records its denial");
        }
    }

    /** A step that needed no approval. */
    public Step(StepId id, RunId runId, ThreadId threadId, StepKind kind, int round, int position, String callId, String name,
                String arguments, StepStatus status, String output, String error, Usage usage, Instant startedAt,
                Instant endedAt) {
        this(id, runId, threadId, kind, round, position, callId, name, arguments, status, output, error, usage, startedAt,
                endedAt, null);
    }

    /**
     * A tool call that needs a person's approval waits for it until {@code expiresAt}; emits
     * {@code approval_required}.
     */
    public static Transition<Step> awaitApproval(StepId id, RunId runId, ThreadId threadId, int round, int position,
                                                 String callId, String toolName, String arguments, Instant expiresAt,
                                                 Instant now) {
        Step step = new Step(id, runId, threadId, StepKind.TOOL_CALL, round, position, callId, toolName, arguments,
                StepStatus.AWAITING_APPROVAL, null, null, Usage.NONE, now, null, new Approval(expiresAt, null));
        return Transition.emitting(step, new ChatEvent.ApprovalRequired(id, toolName, arguments, expiresAt, now));
    }

    /**
     * A call of one of the client's own tools waits for the result the client gives, until
     * {@code expiresAt}. The client runs it, so it begins now: emits {@code trace_start}, then
     * {@code approval_required} saying it is the client's.
     */
    public static Transition<Step> awaitClientResult(StepId id, RunId runId, ThreadId threadId, int round, int position,
                                                     String callId, String toolName, String arguments, Instant expiresAt,
                                                     Instant now) {
        Step step = new Step(id, runId, threadId, StepKind.TOOL_CALL, round, position, callId, toolName, arguments,
                StepStatus.AWAITING_APPROVAL, null, null, Usage.NONE, now, null, new Approval(expiresAt, null, true));
        return new Transition<>(step, List.of(new ChatEvent.TraceStart(id, toolName, arguments, now),
                new ChatEvent.ApprovalRequired(id, toolName, arguments, expiresAt, now, true)));
    }

    /** True for a call of one of the client's own tools, which the client runs. */
    public boolean isClientSide() {
        return approval != null && approval.clientSide();
    }

    /**
     * The client ran the waiting call of its own tool, which gave the {@code decision}'s output: the step
     * completes with it. Its latency is the wait, for the client ran it meanwhile. Emits {@code trace_end}.
     */
    public Transition<Step> clientReturned(ApprovalDecision decision, Instant now) {
        if (status != StepStatus.AWAITING_APPROVAL || !isClientSide() || !decision.approved() || decision.output() == null) {
            throw new IllegalTransition("step " + id, status, StepStatus.COMPLETED);
        }
        Step completed = new Step(id, runId, threadId, kind, round, position, callId, name, arguments,
                StepStatus.COMPLETED, decision.output(), null, usage, startedAt, now, approval.decided(decision));
        return Transition.emitting(completed, new ChatEvent.TraceEnd(id, StepStatus.COMPLETED.wireName(),
                completed.output(), null, completed.latency().toMillis(), now));
    }

    /**
     * The waiting call was approved: it runs from {@code now} (so its latency is the tool's own time),
     * with the person's arguments if they gave any. Emits {@code trace_start}. A call of the client's own
     * tool is not run here: the client reports what it gave ({@link #clientReturned}).
     */
    public Transition<Step> approve(ApprovalDecision decision, Instant now) {
        if (status != StepStatus.AWAITING_APPROVAL || !decision.approved() || isClientSide()) {
            throw new IllegalTransition("step " + id, status, StepStatus.IN_PROGRESS);
        }
        Step running = new Step(id, runId, threadId, kind, round, position, callId, name, arguments, StepStatus.IN_PROGRESS,
                null, null, usage, now, null, approval.decided(decision));
        return Transition.emitting(running, new ChatEvent.TraceStart(id, name, running.effectiveArguments(), now));
    }

    /**
     * The waiting call was denied, or expired: it is not run, and the model is told why. Like every call
     * that never ran, it took no time ({@link #latency} is the tool's own time). Emits {@code trace_end}.
     */
    public Transition<Step> deny(ApprovalDecision decision, Instant now) {
        if (status != StepStatus.AWAITING_APPROVAL || decision.approved()) {
            throw new IllegalTransition("step " + id, status, StepStatus.DENIED);
        }
        Step denied = new Step(id, runId, threadId, kind, round, position, callId, name, arguments, StepStatus.DENIED,
                null, bounded(decision.forModel(isClientSide()), MAX_ERROR_LENGTH), usage, now, now,
                approval.decided(decision));
        return Transition.emitting(denied, new ChatEvent.TraceEnd(id, StepStatus.DENIED.wireName(), null, denied.error(),
                0, now));
    }

    /** The arguments the call runs with: the approver's, if they gave any, else the model's. */
    public String effectiveArguments() {
        return approval != null && approval.decision() != null ? approval.decision().argumentsOr(arguments) : arguments;
    }

    /** A tool call begins; emits {@code trace_start}. */
    public static Transition<Step> begin(StepId id, RunId runId, ThreadId threadId, int round, int position,
                                         String callId, String toolName, String arguments, Instant now) {
        Step step = new Step(id, runId, threadId, StepKind.TOOL_CALL, round, position, callId, toolName, arguments,
                StepStatus.IN_PROGRESS, null, null, Usage.NONE, now, null);
        return Transition.emitting(step, new ChatEvent.TraceStart(id, toolName, arguments, now));
    }

    /** A tool call of the run's first model call begins; emits {@code trace_start}. */
    public static Transition<Step> begin(StepId id, RunId runId, ThreadId threadId, String callId, String toolName,
                                         String arguments, Instant now) {
        return begin(id, runId, threadId, 1, 0, callId, toolName, arguments, now);
    }

    /**
     * A model call that has ended, as recorded: completed, or failed or cancelled with why. Clients are
     * not told of model calls as steps (their text is the stream itself), so this emits nothing.
     */
    public static Step modelCall(StepId id, RunId runId, ThreadId threadId, int round, String model, Usage usage,
                                 StepStatus status, String error, Instant startedAt, Instant endedAt) {
        if (!status.isTerminal() || (status == StepStatus.COMPLETED) != (error == null)) {
            throw new IllegalArgumentException("a recorded model call is completed, or ended early with why; was "
                    + status + (error == null ? " without" : " with") + " an error");
        }
        return new Step(id, runId, threadId, StepKind.MODEL_CALL, round, 0, "", model, "", status, null, error, usage,
                startedAt, endedAt);
    }

    /**
     * A model call that ended with {@code outcome}, as recorded with the outcome's usage: failed or
     * cancelled with the code of why, or else completed (a call that asked for tools, or whose answer a
     * limit cut, did its part).
     */
    public static Step modelCall(StepId id, RunId runId, ThreadId threadId, int round, String model,
                                 ModelCallOutcome outcome, Instant startedAt, Instant endedAt) {
        return switch (outcome) {
            case RunOutcome.Fail fail -> modelCall(id, runId, threadId, round, model, outcome.usage(), StepStatus.FAILED,
                    fail.failure().code(), startedAt, endedAt);
            case RunOutcome.Cancel cancel -> modelCall(id, runId, threadId, round, model, outcome.usage(),
                    StepStatus.CANCELLED, cancel.reason().code(), startedAt, endedAt);
            case RunOutcome.Complete complete -> completedModelCall(id, runId, threadId, round, model, outcome, startedAt, endedAt);
            case RunOutcome.EndIncomplete cut -> completedModelCall(id, runId, threadId, round, model, outcome, startedAt, endedAt);
            case ModelCallOutcome.CallTools call -> completedModelCall(id, runId, threadId, round, model, outcome, startedAt, endedAt);
        };
    }

    private static Step completedModelCall(StepId id, RunId runId, ThreadId threadId, int round, String model,
                                           ModelCallOutcome outcome, Instant startedAt, Instant endedAt) {
        return modelCall(id, runId, threadId, round, model, outcome.usage(), StepStatus.COMPLETED, null, startedAt, endedAt);
    }

    /** The text cut to {@code max} characters, saying where: tool output is bounded like every record. */
    public static String bounded(String text, int max) {
        String note = "\n[cut at " + max + " characters]";
        return text.length() <= max ? text : text.substring(0, max - note.length()) + note;
    }

    /** What the model is told of a tool call that has ended: its output, or the error. */
    public String resultForModel() {
        return status == StepStatus.COMPLETED ? output : "Error: " + error;
    }

    /** The tool's name for a tool call. */
    public String toolName() {
        return name;
    }

    /** The running tool reports progress; the step itself does not change. Emits {@code trace_update}. */
    public Transition<Step> report(String progress, Instant now) {
        if (status != StepStatus.IN_PROGRESS) {
            throw new IllegalTransition("step " + id, status, StepStatus.IN_PROGRESS);
        }
        return Transition.emitting(this, new ChatEvent.TraceUpdate(id, progress, now));
    }

    public Transition<Step> complete(String output, Instant now) {
        Objects.requireNonNull(output, "output");
        return end(StepStatus.COMPLETED, output, null, now);
    }

    public Transition<Step> fail(String error, Instant now) {
        Require.nonBlank(error, "error");
        return end(StepStatus.FAILED, null, error, now);
    }

    /** The tool returned {@code output}, kept up to {@link #MAX_PAYLOAD_LENGTH} characters; emits {@code trace_end}. */
    public Transition<Step> toolReturned(String output, Instant now) {
        return complete(bounded(output, MAX_PAYLOAD_LENGTH), now);
    }

    /**
     * The tool failed saying {@code error}, kept up to {@link #MAX_ERROR_LENGTH} characters; a tool that
     * said nothing is reported as failing without saying why, for the model must hear something. Emits
     * {@code trace_end}.
     */
    public Transition<Step> toolFailed(String error, Instant now) {
        return fail(bounded(error.isBlank() ? "The tool failed without saying why." : error, MAX_ERROR_LENGTH), now);
    }

    public Transition<Step> cancel(String reason, Instant now) {
        Require.nonBlank(reason, "reason");
        return end(StepStatus.CANCELLED, null, reason, now);
    }

    /**
     * The waiting call ends cancelled, never run, though {@code decision} was taken on it (or it
     * expired): its run could not go on. The decision is kept with the step, as for a call that ran.
     * Emits {@code trace_end}.
     */
    public Transition<Step> cancelDecided(String reason, ApprovalDecision decision, Instant now) {
        Objects.requireNonNull(decision, "decision");
        if (status != StepStatus.AWAITING_APPROVAL) {
            throw new IllegalTransition("step " + id, status, StepStatus.CANCELLED);
        }
        Transition<Step> cancelled = cancel(reason, now);
        Step ended = cancelled.state();
        return new Transition<>(new Step(id, runId, threadId, kind, round, position, callId, name, arguments,
                ended.status(), ended.output(), ended.error(), usage, ended.startedAt(), ended.endedAt(),
                approval.decided(decision)), cancelled.events());
    }

    /** How long the call took; zero rather than negative should the clock have stepped back meanwhile. */
    public Duration latency() {
        Duration latency = Duration.between(startedAt, endedAt == null ? startedAt : endedAt);
        return latency.isNegative() ? Duration.ZERO : latency;
    }

    private Transition<Step> end(StepStatus next, String newOutput, String newError, Instant now) {
        // A waiting call completes only with the result its client gave (clientReturned): one that waits for a
        // person has not run, and nothing it could return exists.
        if (!status.canMoveTo(next) || (status == StepStatus.AWAITING_APPROVAL && next == StepStatus.COMPLETED)) {
            throw new IllegalTransition("step " + id, status, next);
        }
        // A call ended while it waited for approval never ran, so it took no time, as a denied one.
        Instant started = status == StepStatus.AWAITING_APPROVAL ? now : startedAt;
        Step ended = new Step(id, runId, threadId, kind, round, position, callId, name, arguments, next, newOutput, newError,
                usage, started, now, approval);
        return Transition.emitting(ended, new ChatEvent.TraceEnd(id, next.wireName(), newOutput, newError,
                ended.latency().toMillis(), now));
    }
}
