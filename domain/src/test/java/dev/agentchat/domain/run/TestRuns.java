package dev.agentchat.domain.run;

import static dev.agentchat.domain.Times.T0;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds runs for tests, reaching each status through the real transitions rather than the constructor. */
public final class TestRuns {
    public static final MessageId ANSWER = MessageId.of("msg-answer");
    public static final Usage USAGE = Usage.reported(120, 30);
    public static final StepId WAITING_STEP = StepId.of("step-waiting");
    public static final UserId APPROVER = UserId.of("user-ada");
    public static final Duration APPROVAL_TIMEOUT = Duration.ofSeconds(900);
    public static final RunFailure MODEL_DOWN = new RunFailure("model_error", "The model service did not answer.");

    private TestRuns() {
    }

    public static Builder aRun() {
        return new Builder();
    }

    /** Asks {@code run} to move to {@code target} through the one method that leads there. */
    public static Transition<Run> moveTo(Run run, RunStatus target, Instant now) {
        return switch (target) {
            case QUEUED -> throw new IllegalArgumentException("no transition method leads back to QUEUED");
            // A waiting run goes on only through a decision; anything else starts.
            case IN_PROGRESS -> run.status() == RunStatus.REQUIRES_ACTION ? approveAll(run, now) : run.start(now);
            case CANCELLING -> run.requestCancel(now);
            case COMPLETED -> run.complete(ANSWER, USAGE, now);
            case FAILED -> run.fail(MODEL_DOWN, null, USAGE, now);
            case CANCELLED -> run.cancel(new RunFailure("cancelled", "The user stopped the run."), null, USAGE, now);
            case INCOMPLETE -> run.endIncomplete(new RunFailure("max_output_tokens", "The answer was cut short."),
                    ANSWER, USAGE, now);
            case REQUIRES_ACTION -> run.awaitApproval(waitingRound(now.plus(APPROVAL_TIMEOUT)), USAGE, now);
        };
    }

    /** A first-round pause for one call, {@link #WAITING_STEP}, that may be decided until {@code expiresAt}. */
    public static ApprovalRound waitingRound(Instant expiresAt) {
        return ApprovalRound.waiting(1, 4, expiresAt, "Let me work that out.",
                List.of(new PendingCall(WAITING_STEP, 0, "call-1", "calculator", "{\"expression\":\"6*7\"}")));
    }

    /** Every call {@code waiting} waits for, approved by {@link #APPROVER} at {@code now}. */
    public static Transition<Run> approveAll(Run waiting, Instant now) {
        Map<StepId, ApprovalDecision> decisions = new HashMap<>();
        waiting.approvals().pending().forEach(call -> decisions.put(call.stepId(),
                ApprovalDecision.approved(APPROVER, null, null, now)));
        return switch (waiting.decide(decisions, now)) {
            case ApprovalVerdict.Accepted accepted -> accepted.transition();
            case ApprovalVerdict.Repeated repeated -> throw new IllegalStateException("decided already: " + repeated.run());
        };
    }

    public static final class Builder {
        private RunId id = RunId.of("run-1");
        private ThreadId threadId = ThreadId.of("thread-1");
        private AgentId agentId = AgentId.of("helper");
        private MessageId requestMessageId = MessageId.of("msg-request");
        private Instant queuedAt = T0;
        private Instant startedAt = T0.plusSeconds(1);
        private Instant endedAt = T0.plusSeconds(5);

        private Builder() {
        }

        public Builder withId(String id) {
            this.id = RunId.of(id);
            return this;
        }

        public Builder inThread(String threadId) {
            this.threadId = ThreadId.of(threadId);
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder endedAt(Instant endedAt) {
            this.endedAt = endedAt;
            return this;
        }

        public Run queued() {
            return Run.queue(id, threadId, new ThreadScope(agentId, UserId.ANONYMOUS), 1, requestMessageId, queuedAt);
        }

        public Run running() {
            return queued().start(startedAt).state();
        }

        /** A run in {@code status}: queued, started, or started and then ended that way. */
        public Run in(RunStatus status) {
            return switch (status) {
                case QUEUED -> queued();
                case IN_PROGRESS -> running();
                case CANCELLING -> running().requestCancel(endedAt).state();
                case COMPLETED, FAILED, CANCELLED, INCOMPLETE, REQUIRES_ACTION -> moveTo(running(), status, endedAt).state();
            };
        }
    }
}
