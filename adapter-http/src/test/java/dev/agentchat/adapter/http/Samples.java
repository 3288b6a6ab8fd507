package dev.agentchat.adapter.http;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.agent.ModelSettings;
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
                "Support triage", "Sorts questions", "Be kind.", List.of("calculator", "current_time"), 4_000,
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
