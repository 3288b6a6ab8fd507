package dev.agentchat.adapter.http;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.message.MessageStatus;
import dev.agentchat.domain.message.Role;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.step.StepKind;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Cost;
import dev.agentchat.domain.usage.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Records of each kind the API writes, with every optional member both present and absent somewhere. */
public final class Samples {
    public static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123456Z");
    public static final Instant T1 = Instant.parse("2026-03-01T10:15:31.007Z");
    public static final Instant T2 = Instant.parse("2026-03-01T10:15:33Z");
    private static final ThreadId THREAD = ThreadId.of("thread_1");
    private static final RunId RUN = RunId.of("run_1");

    private Samples() {
    }

    public static Agent agent() {
        // One entry: an agent's metadata is written in its map's order, which is no order at all.
        Map<String, String> metadata = Map.of("tier", "gold \"1\" \uD83D\uDE00");
        return new Agent(AgentId.of("support-triage"), new LinkedHashSet<>(List.of(AgentId.of("triage"), AgentId.of("help"))),
                "Support triage", "Sorts questions", "Be kind.", List.of("calculator", "current_time"),
                List.of("calculator"), 4_000,
                new ModelSettings("gpt-4o", null, 512), AgentStatus.ACTIVE, metadata, 3, T0, T1);
    }

    public static Agent plainAgent() {
        return new Agent(AgentId.of("plain"), new LinkedHashSet<>(), "Plain", "", "Answer.", List.of(), 8_000,
                new ModelSettings(null, 0.2, null), AgentStatus.INACTIVE, Map.of(), 1, T0, T0);
    }

    public static ChatThread idleThread() {
        return new ChatThread(THREAD, AgentId.of("support-triage"), UserId.of("user_1"), "Hello there", ThreadStatus.ACTIVE,
                T0, T1, null, 4);
    }

    public static ChatThread busyThread() {
        return new ChatThread(ThreadId.of("thread_2"), AgentId.of("support-triage"), UserId.of("user_1"), "Busy",
                ThreadStatus.DELETED, T0, T2, RUN, 7);
    }

    public static Message message() {
        return new Message(MessageId.of("msg_1"), THREAD, RUN, Role.USER, "What is 2+2? \u00e9", MessageStatus.COMPLETE, T0);
    }

    public static Run completedRun() {
        return new Run(RUN, THREAD, AgentId.of("support-triage"), UserId.of("user_1"), 3, RunStatus.COMPLETED,
                MessageId.of("msg_1"), MessageId.of("msg_2"), new Usage(120, 30, false, new Cost(new BigDecimal("0.000450"))),
                null, T0, T1, T2, 5);
    }

    public static Run queuedRun() {
        return new Run(RunId.of("run_2"), THREAD, AgentId.of("support-triage"), UserId.of("user_1"), 1, RunStatus.QUEUED,
                MessageId.of("msg_3"), null, Usage.NONE, null, T0, null, null, 0);
    }

    public static Run failedRun() {
        return new Run(RunId.of("run_3"), THREAD, AgentId.of("support-triage"), UserId.of("user_1"), 1, RunStatus.FAILED,
                MessageId.of("msg_4"), null, new Usage(10, 0, true, Cost.UNKNOWN),
                new RunFailure("model_error", "The model service did not answer."), T0, T1, T2, 3);
    }

    /**
     * A run that waits for two calls to be decided, after one that needed no approval ran; it worked
     * from T0 to T1.
     */
    public static Run waitingRun() {
        Run running = new Run(RunId.of("run_4"), THREAD, AgentId.of("support-triage"), UserId.of("user_1"), 3,
                RunStatus.IN_PROGRESS, MessageId.of("msg_5"), null, Usage.NONE, null, T0, T0, null, 1);
        ApprovalRound round = ApprovalRound.waiting(1, 6, T2.plusSeconds(900), "Let me check.", List.of(
                new PendingCall(StepId.of("step_6"), 1, "call_6", "calculator", "{\"expression\":\"6*7\"}"),
                new PendingCall(StepId.of("step_7"), 2, "call_7", "calculator", "{\"expression\":\"1/0\"}")));
        return running.awaitApproval(round, new Usage(50, 10, false, Cost.UNKNOWN), T1).state();
    }

    /**
     * Tool calls that needed approval: one waiting, one approved with the person's own arguments, one
     * denied with a reason and one that expired undecided.
     */
    public static List<Step> approvalSteps() {
        RunId run = RunId.of("run_4");
        UserId user = UserId.of("user_1");
        Step waiting = Step.awaitApproval(StepId.of("step_6"), run, THREAD, 1, 1, "call_6", "calculator",
                "{\"expression\":\"6*7\"}", T2.plusSeconds(900), T1).state();
        Step approved = Step.awaitApproval(StepId.of("step_7"), run, THREAD, 1, 2, "call_7", "calculator",
                "{\"expression\":\"1/0\"}", T2.plusSeconds(900), T1).state()
                .approve(ApprovalDecision.approved(user, null, "{\"expression\":\"1/1\"}", T2), T2).state();
        Step denied = Step.awaitApproval(StepId.of("step_8"), run, THREAD, 1, 3, "call_8", "calculator", "{}",
                T2.plusSeconds(900), T1).state()
                .deny(ApprovalDecision.denied(user, "Not today.", T2), T2).state();
        Step expired = Step.awaitApproval(StepId.of("step_9"), run, THREAD, 1, 4, "call_9", "calculator", "{}",
                T2, T1).state()
                .deny(ApprovalDecision.expired(Duration.ofSeconds(900), T2), T2).state();
        return List.of(waiting, approved, denied, expired);
    }

    public static List<Step> steps() {
        Step model = new Step(StepId.of("step_1"), RUN, THREAD, StepKind.MODEL_CALL, 1, 0, "", "gpt-4o", "",
                StepStatus.COMPLETED, null, null, new Usage(100, 20, false, new Cost(new BigDecimal("0.0003"))), T0, T1);
        Step tool = new Step(StepId.of("step_2"), RUN, THREAD, StepKind.TOOL_CALL, 1, 1, "call_1", "calculator",
                "{\"expression\":\"2+2\"}", StepStatus.COMPLETED, "4", null, Usage.NONE, T1, T2);
        Step failing = new Step(StepId.of("step_3"), RUN, THREAD, StepKind.TOOL_CALL, 2, 2, "call_2", "calculator",
                "{}", StepStatus.FAILED, null, "arguments: 'expression' is required", Usage.NONE, T1, T2);
        Step running = new Step(StepId.of("step_4"), RUN, THREAD, StepKind.TOOL_CALL, 2, 3, "call_3", "current_time",
                "{}", StepStatus.IN_PROGRESS, null, null, Usage.NONE, T2, null);
        return List.of(model, tool, failing, running);
    }
}
