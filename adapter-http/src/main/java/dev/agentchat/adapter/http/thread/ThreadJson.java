package dev.agentchat.adapter.http.thread;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.agentchat.domain.approval.Approval;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.thread.ThreadHistory;
import dev.agentchat.ports.thread.ThreadPage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Threads, messages and runs as the API's JSON: the records whose components are the bodies' members.
 * A member that may be unknown is null, and written as null rather than left out.
 */
public final class ThreadJson {
    private ThreadJson() {
    }

    record ThreadBody(String id, String agentId, String userId, String title, String status, Instant createdAt,
                      Instant updatedAt, String activeRunId) {
        static ThreadBody of(ChatThread thread) {
            return new ThreadBody(thread.id().value(), thread.agentId().value(), thread.userId().value(), thread.title(),
                    lower(thread.status()), thread.createdAt(), thread.updatedAt(),
                    thread.activeRunId() == null ? null : thread.activeRunId().value());
        }
    }

    record ThreadListBody(List<ThreadBody> threads, long total, int limit, int offset) {
        static ThreadListBody of(ThreadPage page) {
            return new ThreadListBody(page.threads().stream().map(ThreadBody::of).toList(), page.total(), page.limit(),
                    page.offset());
        }
    }

    /** A thread's members, then its messages and its runs with their steps. */
    record ThreadHistoryBody(@JsonUnwrapped ThreadBody thread, List<MessageBody> messages, List<RunBody> runs) {
        static ThreadHistoryBody of(ThreadHistory history) {
            return new ThreadHistoryBody(ThreadBody.of(history.thread()),
                    history.messages().stream().map(MessageBody::of).toList(),
                    history.runs().stream().map(run -> RunBody.of(run, history.stepsOf(run))).toList());
        }
    }

    record MessageBody(String id, String role, String content, String status, String runId, Instant createdAt) {
        static MessageBody of(Message message) {
            return new MessageBody(message.id().value(), lower(message.role()), message.content(),
                    lower(message.status()), message.runId().value(), message.createdAt());
        }
    }

    /**
     * A run with its timings, usage, cost (null when the model has no price), failure, the tool calls it waits
     * for (none unless it requires action) and steps.
     */
    public record RunBody(String id, String threadId, String status, String agentId, long agentVersion,
                          String requestMessageId, String answerMessageId, Instant createdAt, Instant startedAt,
                          Instant endedAt, Long durationMs, UsageBody usage, BigDecimal costUsd, ErrorBody error,
                          List<PendingApprovalBody> pendingApprovals, List<StepBody> steps) {
        public static RunBody of(Run run, List<Step> steps) {
            RunFailure failure = run.failure();
            return new RunBody(run.id().value(), run.threadId().value(), lower(run.status()), run.agentId().value(),
                    run.agentVersion(), run.requestMessageId().value(),
                    run.answerMessageId() == null ? null : run.answerMessageId().value(), run.createdAt(),
                    run.startedAt(), run.endedAt(), run.duration().map(Duration::toMillis).orElse(null),
                    UsageBody.of(run.usage()), run.usage().cost().usd(),
                    failure == null ? null : new ErrorBody(failure.code(), failure.message()),
                    PendingApprovalBody.of(run), steps.stream().map(step -> StepBody.of(step, run.approvals())).toList());
        }
    }

    /**
     * A tool call the run waits for a person to decide, or ({@code clientSide}) for the client to run, its own
     * tool's. Read from the run alone, so that every body of a run (its list, a cancel's answer) shows it; the
     * round's decisions stay on the run after it goes on, but nothing is pending then.
     */
    public record PendingApprovalBody(String stepId, String tool, String arguments, Instant expiresAt,
                                      boolean clientSide) {
        public static List<PendingApprovalBody> of(Run run) {
            ApprovalRound round = run.approvals();
            if (run.status() != RunStatus.REQUIRES_ACTION || round == null) {
                return List.of();
            }
            return round.pending().stream()
                    .map(call -> new PendingApprovalBody(call.stepId().value(), call.tool(), call.arguments(),
                            round.expiresAt(), call.clientSide()))
                    .toList();
        }
    }

    /** Runs without their steps. */
    public record RunListBody(List<RunBody> runs) {
        public static RunListBody of(List<Run> runs) {
            return new RunListBody(runs.stream().map(run -> RunBody.of(run, List.of())).toList());
        }
    }

    record UsageBody(long promptTokens, long completionTokens, long totalTokens, boolean estimated) {
        static UsageBody of(Usage usage) {
            return new UsageBody(usage.promptTokens(), usage.completionTokens(), usage.totalTokens(), usage.estimated());
        }
    }

    record ErrorBody(String code, String message) {
    }

    /** A step: a model call has a model and usage, a tool call its tool, arguments and output. */
    sealed interface StepBody permits ModelCallBody, ToolCallBody {
        /**
         * The step; a call of {@code round} that is still undecided on its own shows the decision the run
         * recorded for it. The run takes the decisions first, and the steps follow as the resumed turn reaches
         * them, so without this the answer to a decision would show the calls undecided for a moment.
         */
        static StepBody of(Step step, ApprovalRound round) {
            String id = step.id().value();
            String type = lower(step.kind());
            String status = lower(step.status());
            long latencyMs = step.latency().toMillis();
            return switch (step.kind()) {
                case TOOL_CALL -> new ToolCallBody(id, type, step.round(), status, step.toolName(), step.callId(),
                        step.arguments(), step.output(), step.error(), ApprovalBody.of(approvalOf(step, round)),
                        step.startedAt(), step.endedAt(), latencyMs);
                case MODEL_CALL -> new ModelCallBody(id, type, step.round(), status, step.name(),
                        UsageBody.of(step.usage()), step.usage().cost().usd(), step.error(), step.startedAt(),
                        step.endedAt(), latencyMs);
            };
        }
    }

    private static Approval approvalOf(Step step, ApprovalRound round) {
        Approval approval = step.approval();
        if (approval == null || approval.decision() != null || round == null || round.round() != step.round()) {
            return approval;
        }
        ApprovalDecision recorded = round.decisions().get(step.id());
        return recorded == null ? approval : approval.decided(recorded);
    }

    record ModelCallBody(String id, String type, int round, String status, String model, UsageBody usage,
                         BigDecimal costUsd, String error, Instant startedAt, Instant endedAt, long latencyMs)
            implements StepBody {
    }

    /** {@code arguments} are the model's; an approval with arguments of the person's own ran with those instead. */
    record ToolCallBody(String id, String type, int round, String status, String tool, String callId, String arguments,
                        String output, String error, ApprovalBody approval, Instant startedAt, Instant endedAt,
                        long latencyMs)
            implements StepBody {
    }

    /**
     * A tool call's approval: null members until it is decided ({@code approved}, {@code expired} included, so
     * that an undecided call is not read as denied); {@code decided_by} is null too when it expired undecided.
     * A call of the client's own tool ({@code client_side}) has one too, its {@code output} what the client's
     * tool gave.
     */
    record ApprovalBody(Boolean approved, String reason, String arguments, String output, String decidedBy,
                        Instant decidedAt, Instant expiresAt, Boolean expired, boolean clientSide) {
        static ApprovalBody of(Approval approval) {
            if (approval == null) {
                return null;
            }
            ApprovalDecision decision = approval.decision();
            if (decision == null) {
                return new ApprovalBody(null, null, null, null, null, null, approval.expiresAt(), null,
                        approval.clientSide());
            }
            return new ApprovalBody(decision.approved(), decision.reason(), decision.arguments(), decision.output(),
                    decision.decidedBy() == null ? null : decision.decidedBy().value(), decision.decidedAt(),
                    approval.expiresAt(), decision.expired(), approval.clientSide());
        }
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
