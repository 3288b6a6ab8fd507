package dev.agentchat.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import dev.agentchat.adapter.memory.store.StoreFaults;
import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryIdempotencyKeys;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.memory.time.ManualClock;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.domain.refusal.ApprovalConflict;
import dev.agentchat.domain.refusal.ApprovalExpired;
import dev.agentchat.domain.refusal.InvalidApprovals;
import dev.agentchat.domain.refusal.ThreadNotFound;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.step.StepKind;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.chat.ApprovalChoice;
import dev.agentchat.ports.chat.ApprovalService;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.LoggedEvents;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.run.RunSlot;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.thread.ThreadRef;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.domain.usage.PriceTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Tool calls that wait for a person's approval, over the in-memory adapters, a scripted model and
 * scripted tools, on a clock that moves only when the test moves it. Each "instance" is a run control,
 * chat service and approval service of its own over the same stores and event log, as instances share
 * Cosmos DB.
 */
class ApprovalsOnMemoryTest {
    private static final AgentId AGENT = AgentId.of("operator");
    private static final UserId USER = UserId.of("ada");
    private static final UserId STRANGER = UserId.of("mallory");
    /** How long a test waits for what happens on another thread: long, since a busy machine is slow, not wrong. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String WEB_01 = "{\"vm\":\"web-01\"}";
    private static final String WEB_02 = "{\"vm\":\"web-02\"}";

    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final InMemoryMessageStore messages = new InMemoryMessageStore();
    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final InMemoryStepStore steps = new InMemoryStepStore();
    private final ManualClock clock = ManualClock.atSomeDate();
    private InMemoryEventLog log = new InMemoryEventLog(clock);
    private final InMemoryIdempotencyKeys keys = new InMemoryIdempotencyKeys();
    private final ScriptedChatModel model = new ScriptedChatModel();
    private final ScriptedToolRuntime tools = new ScriptedToolRuntime();
    private ChatSettings settings = new ChatSettings(4, Duration.ofSeconds(5), PriceTable.EMPTY);
    private RunSettings runSettings = RunSettings.defaults();
    /** The event log as each instance sees it: the shared one, unless a test puts it behind something slower. */
    private UnaryOperator<EventLog> logSeenByInstances = UnaryOperator.identity();
    /** The step store as each instance sees it: the shared one, unless a test makes it fail. */
    private UnaryOperator<StepStore> stepsSeenByInstances = UnaryOperator.identity();

    ApprovalsOnMemoryTest() {
        tools.tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("{\"state\":\"stuck\"}"));
        tools.tool("restart", (args, progress) -> new ToolOutcome.Succeeded("restarted " + args));
    }

    @Test
    void an_approved_call_runs_with_the_models_arguments_and_the_answer_completes() {
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Restarted."));
        Instance here = new Instance();

        ChatOutcome outcome = here.chat("Restart web-01");

        assertThat(outcome).isInstanceOf(ChatOutcome.AwaitingApproval.class);
        assertThat(((ChatOutcome.AwaitingApproval) outcome).answerSoFar()).isEqualTo("On it. ");
        Run waiting = storedRun(outcome);
        assertThat(waiting.status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        Step step = toolStep(outcome, "restart");
        assertThat(step.status()).isEqualTo(StepStatus.AWAITING_APPROVAL);
        assertThat(tools.invocations()).isEmpty();
        here.awaitRetired(waiting);

        Run decided = here.decide(waiting, approve(step.id()));

        assertThat(decided.status()).isEqualTo(RunStatus.IN_PROGRESS);
        Run done = awaitEnd(waiting);
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(tools.invocations()).containsExactly(new ToolInvocation("restart", WEB_01));
        assertThat(answerOf(done)).isEqualTo("On it. Restarted.");
        Step ran = toolStep(outcome, "restart");
        assertThat(ran.status()).isEqualTo(StepStatus.COMPLETED);
        ApprovalDecision decision = ran.approval().decision();
        assertThat(decision.approved()).isTrue();
        assertThat(decision.decidedBy()).isEqualTo(USER);
        assertThat(decision.decidedAt()).isEqualTo(clock.now());
        assertThat(model.requests().get(1).messages()).endsWith(
                new ModelMessage.Assistant("", List.of(new ModelStreamItem.ToolCallRequest("call_1", "restart", WEB_01))),
                new ModelMessage.ToolResult("call_1", "restarted " + WEB_01));
    }

    @Test
    void a_denied_call_never_runs_and_the_model_is_told_why() {
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Understood."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart web-01");
        Step step = toolStep(outcome, "restart");
        here.awaitRetired(storedRun(outcome));

        here.decide(storedRun(outcome), new ApprovalChoice(step.id(), false, Optional.of("not during business hours"),
                Optional.empty()));

        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(tools.invocations()).isEmpty();
        assertThat(model.requests().get(1).last()).isEqualTo(new ModelMessage.ToolResult("call_1",
                "Error: The user denied this tool call: not during business hours. Do not call it again unless asked."));
        Step denied = toolStep(outcome, "restart");
        assertThat(denied.status()).isEqualTo(StepStatus.DENIED);
        assertThat(denied.approval().decision().decidedBy()).isEqualTo(USER);
    }

    @Test
    void a_tool_servers_tool_held_by_its_servers_star_waits_and_runs_by_its_model_name_once_approved() {
        // given an agent holding every tool of the server "fleet" for approval
        tools.serverTool("fleet", "restart", (arguments, progress) -> new ToolOutcome.Succeeded("restarted"));
        model.reply(askFor("call_1", "fleet__restart", WEB_01)).reply(Reply.text("Restarted."));
        Instance here = new Instance(List.of(new Agent(AGENT, Set.of(), "Operator", "", "Operate the fleet.",
                List.of("fleet/*"), List.of("fleet/*"), Agent.DEFAULT_HISTORY_TOKEN_BUDGET, ModelSettings.DEFAULTS,
                AgentStatus.ACTIVE, Map.of(), 1, Instant.EPOCH, Instant.EPOCH)));

        // when
        ChatOutcome outcome = here.chat("Restart web-01");
        Step step = toolStep(outcome, "fleet__restart");
        here.awaitRetired(storedRun(outcome));
        List<ToolInvocation> beforeDecision = tools.invocations();
        here.decide(storedRun(outcome), approve(step.id()));

        // then
        assertThat(outcome).isInstanceOf(ChatOutcome.AwaitingApproval.class);
        assertThat(beforeDecision).isEmpty();
        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(tools.invocations()).containsExactly(new ToolInvocation("fleet__restart", WEB_01));
        assertThat(toolStep(outcome, "fleet__restart").status()).isEqualTo(StepStatus.COMPLETED);
    }

    @Test
    void arguments_the_person_gives_are_the_ones_the_tool_and_the_model_see_while_the_step_keeps_the_models() {
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Done."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart web-01");
        Step step = toolStep(outcome, "restart");
        here.awaitRetired(storedRun(outcome));

        here.decide(storedRun(outcome), new ApprovalChoice(step.id(), true, Optional.empty(), Optional.of(WEB_02)));

        awaitEnd(storedRun(outcome));
        assertThat(tools.invocations()).containsExactly(new ToolInvocation("restart", WEB_02));
        ModelMessage.Assistant asked = (ModelMessage.Assistant) model.requests().get(1).messages()
                .get(model.requests().get(1).messages().size() - 2);
        assertThat(asked.toolCalls()).singleElement().satisfies(call -> assertThat(call.arguments()).isEqualTo(WEB_02));
        Step ran = toolStep(outcome, "restart");
        assertThat(ran.arguments()).isEqualTo(WEB_01);
        assertThat(ran.effectiveArguments()).isEqualTo(WEB_02);
    }

    @Test
    void the_calls_of_the_round_that_need_no_approval_run_before_the_pause_and_keep_their_places() {
        model.reply(Reply.builder().toolCall("call_1", "lookup", WEB_01).toolCall("call_2", "restart", WEB_01)
                        .finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("Restarted after a look."));
        Instance here = new Instance();

        ChatOutcome outcome = here.chat("Fix web-01");

        assertThat(tools.invocations()).containsExactly(new ToolInvocation("lookup", WEB_01));
        assertThat(toolStep(outcome, "lookup").status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(toolStep(outcome, "restart").status()).isEqualTo(StepStatus.AWAITING_APPROVAL);
        here.awaitRetired(storedRun(outcome));

        here.decide(storedRun(outcome), approve(toolStep(outcome, "restart").id()));

        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(tools.invocations()).containsExactly(new ToolInvocation("lookup", WEB_01),
                new ToolInvocation("restart", WEB_01));
        assertThat(model.requests().get(1).messages()).endsWith(
                new ModelMessage.Assistant("", List.of(new ModelStreamItem.ToolCallRequest("call_1", "lookup", WEB_01),
                        new ModelStreamItem.ToolCallRequest("call_2", "restart", WEB_01))),
                new ModelMessage.ToolResult("call_1", "{\"state\":\"stuck\"}"),
                new ModelMessage.ToolResult("call_2", "restarted " + WEB_01));
    }

    @Test
    void calls_nobody_decides_in_time_count_as_denied_once_the_clock_passes_their_expiry() {
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Nobody answered."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart web-01");
        here.awaitRetired(storedRun(outcome));

        clock.advance(Duration.ofSeconds(899));
        assertThat(here.expireOverdue()).isZero();
        assertThat(storedRun(outcome).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        clock.advance(Duration.ofSeconds(2));
        assertThat(here.expireOverdue()).isEqualTo(1);

        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(tools.invocations()).isEmpty();
        Step expired = toolStep(outcome, "restart");
        assertThat(expired.status()).isEqualTo(StepStatus.DENIED);
        assertThat(expired.approval().decision().expired()).isTrue();
        assertThat(model.requests().get(1).last()).isEqualTo(new ModelMessage.ToolResult("call_1",
                "Error: Nobody approved this tool call within 900 seconds, so it was not run."));
        assertThat(here.expireOverdue()).as("once only").isZero();
    }

    @Test
    void the_same_decisions_again_get_the_run_as_it_is_without_a_second_resume_and_other_ones_a_conflict() {
        settings = settings.withMaxActiveRunsPerUser(1);
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Restarted."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart web-01");
        StepId step = toolStep(outcome, "restart").id();
        here.awaitRetired(storedRun(outcome));
        here.decide(storedRun(outcome), approve(step));
        Run done = awaitEnd(storedRun(outcome));

        RunSlot busy = here.control.live().admit(USER, settings.activeRunLimit());   // the user's one place is taken
        Run again = here.decide(done, approve(step));
        busy.release();

        assertThat(again).isEqualTo(done);
        assertThat(model.requests()).hasSize(2);
        assertThat(tools.invocations()).hasSize(1);
        assertThatThrownBy(() -> here.decide(done, new ApprovalChoice(step, false, Optional.empty(), Optional.empty())))
                .isInstanceOf(ApprovalConflict.class);
    }

    @Test
    void a_decision_must_cover_every_waiting_call_once() {
        model.reply(Reply.builder().toolCall("call_1", "restart", WEB_01).toolCall("call_2", "restart", WEB_02)
                .finish(FinishReason.TOOL_CALLS).build());
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart both");
        List<StepId> waiting = steps.listByThread(outcome.threadId()).stream()
                .filter(step -> step.kind() == StepKind.TOOL_CALL).sorted(java.util.Comparator.comparingInt(Step::position))
                .map(Step::id).toList();
        here.awaitRetired(storedRun(outcome));

        assertThatThrownBy(() -> here.decide(storedRun(outcome), approve(waiting.get(0))))
                .isInstanceOfSatisfying(InvalidApprovals.class,
                        refused -> assertThat(refused.missing()).containsExactly(waiting.get(1)));
        assertThatThrownBy(() -> here.decide(storedRun(outcome), approve(waiting.get(0)), approve(waiting.get(0)),
                approve(waiting.get(1))))
                .isInstanceOfSatisfying(InvalidApprovals.class,
                        refused -> assertThat(refused.duplicated()).containsExactly(waiting.get(0)));
        assertThat(storedRun(outcome).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(tools.invocations()).isEmpty();
    }

    @Test
    void a_decision_sent_to_a_second_instance_resumes_the_run_there() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        tools.tool("restart", (args, progress) -> {
            try {
                return finish.await(5, TimeUnit.SECONDS) ? new ToolOutcome.Succeeded("restarted")
                        : new ToolOutcome.Failed("not released");
            } catch (InterruptedException e) {
                return new ToolOutcome.Failed("interrupted");
            }
        });
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Restarted."));
        Instance first = new Instance();
        Instance second = new Instance();
        ChatOutcome outcome = first.chat("Restart web-01");
        Run waiting = storedRun(outcome);
        first.awaitRetired(waiting);

        second.decide(waiting, approve(toolStep(outcome, "restart").id()));

        await().atMost(PATIENCE).until(() -> !tools.invocations().isEmpty());
        assertThat(second.control.live().find(waiting.id())).isPresent();
        assertThat(first.control.live().find(waiting.id())).isEmpty();
        finish.countDown();
        assertThat(awaitEnd(waiting).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(answerOf(storedRun(outcome))).isEqualTo("On it. Restarted.");
    }

    @Test
    void a_waiting_run_gives_its_users_place_among_runs_in_progress_back() {
        settings = settings.withMaxActiveRunsPerUser(1);
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Meanwhile, hello."));
        Instance here = new Instance();
        ChatOutcome waiting = here.chat("Restart web-01");
        here.awaitRetired(storedRun(waiting));

        ChatOutcome other = here.chat("Hello");

        assertThat(other).isInstanceOf(ChatOutcome.Answered.class);
        assertThat(storedRun(waiting).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
    }

    @Test
    void someone_other_than_the_threads_owner_finds_no_thread_to_decide_on() {
        model.reply(askFor("call_1", "restart", WEB_01));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart web-01");
        StepId step = toolStep(outcome, "restart").id();
        here.awaitRetired(storedRun(outcome));

        assertThatThrownBy(() -> here.approvals.decideApprovals(new ThreadRef(AGENT, STRANGER, outcome.threadId()),
                outcome.runId(), List.of(approve(step)))).isInstanceOf(ThreadNotFound.class);

        assertThat(storedRun(outcome).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(tools.invocations()).isEmpty();
    }

    @Test
    void time_spent_waiting_does_not_count_towards_the_longest_a_run_may_work() {
        runSettings = withMaxRun(Duration.ofMinutes(10));
        settings = settings.withApprovalTimeout(Duration.ofMinutes(30));
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Restarted."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart web-01");
        here.awaitRetired(storedRun(outcome));

        clock.advance(Duration.ofMinutes(20));
        here.decide(storedRun(outcome), approve(toolStep(outcome, "restart").id()));

        Run done = awaitEnd(storedRun(outcome));
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.workedBefore()).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void a_decision_on_a_run_with_no_working_time_left_ends_it_incomplete_keeping_its_answer_so_far() {
        runSettings = withMaxRun(Duration.ofMinutes(10));
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Restarted."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart web-01");
        here.awaitRetired(storedRun(outcome));
        Run waiting = storedRun(outcome);
        // as if its working stretches had used up the limit before it paused
        runs.update(new Run(waiting.id(), waiting.threadId(), waiting.agentId(), waiting.userId(), waiting.agentVersion(),
                waiting.status(), waiting.requestMessageId(), waiting.answerMessageId(), waiting.usage(), waiting.failure(),
                waiting.createdAt(), waiting.startedAt(), waiting.endedAt(), waiting.revision() + 1, Duration.ofMinutes(10),
                waiting.resumedAt(), waiting.approvals()));

        Run ended = here.decide(storedRun(outcome), approve(toolStep(outcome, "restart").id()));

        assertThat(ended.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(ended.failure().code()).isEqualTo("run_timeout");
        assertThat(tools.invocations()).isEmpty();
        assertThat(model.requests()).hasSize(1);
        assertThat(answerOf(storedRun(outcome))).isEqualTo("On it. ");
    }

    @Test
    void recovery_does_not_take_a_waiting_run_for_abandoned() {
        runSettings = withMaxRun(Duration.ofMinutes(10));
        settings = settings.withApprovalTimeout(Duration.ofHours(1));
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Restarted."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart web-01");
        here.awaitRetired(storedRun(outcome));

        clock.advance(Duration.ofMinutes(30));

        assertThat(here.control.recovery().recoverAbandoned()).isZero();
        assertThat(storedRun(outcome).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        here.decide(storedRun(outcome), approve(toolStep(outcome, "restart").id()));
        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void the_events_of_a_run_are_numbered_on_across_its_pauses_without_a_gap_or_a_repeat() {
        model.reply(askFor("call_1", "restart", WEB_01))
                .reply(Reply.builder().text("Once more. ").toolCall("call_2", "restart", WEB_02)
                        .finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("Both restarted."));
        Instance first = new Instance();
        Instance second = new Instance();
        ChatOutcome outcome = first.chat("Restart them");
        first.awaitRetired(storedRun(outcome));
        second.decide(storedRun(outcome), approve(toolStep(outcome, "restart").id()));
        await().atMost(PATIENCE).until(() -> storedRun(outcome).status() == RunStatus.REQUIRES_ACTION
                && storedRun(outcome).approvals().round() == 2);
        second.awaitRetired(storedRun(outcome));
        StepId secondCall = steps.listByRun(outcome.threadId(), outcome.runId()).stream()
                .filter(step -> step.kind() == StepKind.TOOL_CALL && step.round() == 2).findFirst().orElseThrow().id();
        StepId firstCall = steps.listByRun(outcome.threadId(), outcome.runId()).stream()
                .filter(step -> step.kind() == StepKind.TOOL_CALL && step.round() == 1).findFirst().orElseThrow().id();
        assertThatThrownBy(() -> first.decide(storedRun(outcome), approve(firstCall)))
                .as("the first pause's decisions again, while the run waits on its second").isInstanceOf(ApprovalConflict.class);

        first.decide(storedRun(outcome), approve(secondCall));

        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
        await().atMost(PATIENCE).until(() -> first.control.live().count() == 0 && second.control.live().count() == 0);
        List<RunEvent> logged = log.readAfter(outcome.threadId(), outcome.runId(), 0, 1_000, clock.now());
        assertThat(logged).extracting(RunEvent::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, logged.size()).boxed().toList());
        assertThat(logged).extracting(event -> event.event().getClass().getSimpleName()).containsSubsequence(
                "ApprovalRequired", "TraceStart", "TraceEnd", "ApprovalRequired", "TraceStart", "TraceEnd", "Done");
        assertThat(logged.getLast().event()).isInstanceOf(ChatEvent.Done.class);
        assertThat(answerOf(storedRun(outcome))).isEqualTo("On it. Once more. Both restarted.");
    }

    @Test
    void a_client_that_streams_the_chat_gets_the_waiting_call_and_the_rest_of_the_run_on_the_same_stream() {
        // on the system clock: the follower reads the pause's other side from the log, polling as time passes
        log = new InMemoryEventLog();
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Restarted."));
        Instance first = new Instance(Clock.system());
        Instance second = new Instance(Clock.system());
        RecordedEvents sink = new RecordedEvents();
        CompletableFuture<ChatOutcome> chat = CompletableFuture.supplyAsync(
                () -> first.chat.chat(new ChatCommand(AGENT, USER, Optional.empty(), "Restart web-01"), sink),
                runnable -> Thread.ofVirtual().start(runnable));
        await().atMost(PATIENCE).until(() -> sink.events.stream()
                .anyMatch(event -> event.event() instanceof ChatEvent.ApprovalRequired));
        ChatEvent.ApprovalRequired asked = (ChatEvent.ApprovalRequired) sink.events.stream().map(RunEvent::event)
                .filter(ChatEvent.ApprovalRequired.class::isInstance).findFirst().orElseThrow();
        assertThat(asked.tool()).isEqualTo("restart");
        assertThat(asked.arguments()).isEqualTo(WEB_01);

        second.decide(runs.find(sink.threadId, sink.runId).orElseThrow(), approve(asked.stepId()));

        assertThat(chat).succeedsWithin(PATIENCE);
        assertThat(sink.events).extracting(event -> event.event().getClass().getSimpleName())
                .containsSubsequence("ApprovalRequired", "TraceStart", "TraceEnd", "Token", "Done");
        assertThat(sink.events).extracting(RunEvent::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, sink.events.size()).boxed().toList());
    }

    @Test
    void a_decision_taken_the_moment_the_run_pauses_finds_the_users_one_place_free() {
        settings = settings.withMaxActiveRunsPerUser(1);
        CountDownLatch logOpens = new CountDownLatch(1);
        logSeenByInstances = shared -> new HeldBackLog(shared, logOpens);
        model.reply(askFor("call_1", "restart", WEB_01)).reply(Reply.text("Restarted."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart web-01");
        assertThat(here.control.live().find(outcome.runId())).as("its last events are not logged yet").isPresent();

        CompletableFuture<Run> decided = CompletableFuture.supplyAsync(
                () -> here.decide(storedRun(outcome), approve(toolStep(outcome, "restart").id())),
                runnable -> Thread.ofVirtual().start(runnable));
        await().atMost(PATIENCE).until(() -> decided.isDone() || storedRun(outcome).status() == RunStatus.IN_PROGRESS);
        logOpens.countDown();

        assertThat(decided).succeedsWithin(PATIENCE)
                .satisfies(run -> assertThat(run.status()).isEqualTo(RunStatus.IN_PROGRESS));
        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(tools.invocations()).containsExactly(new ToolInvocation("restart", WEB_01));
    }

    @Test
    void a_waiting_run_whose_agent_is_gone_ends_incomplete_at_its_expiry_and_frees_its_thread() {
        Instance here = new Instance();
        ChatOutcome outcome = pausedForARestart(here);
        Instance withoutTheAgent = new Instance(List.of());

        clock.advance(Duration.ofSeconds(901));
        assertThat(withoutTheAgent.expireOverdue()).isZero();

        Run ended = storedRun(outcome);
        assertThat(ended.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(ended.failure().code()).isEqualTo("agent_not_found");
        assertThat(answerOf(ended)).isEqualTo("On it. ");
        Step step = toolStep(outcome, "restart");
        assertThat(step.status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(step.approval().decision().expired()).isTrue();
        assertThat(threadOf(outcome).activeRun()).isEmpty();
        assertThat(runs.listAwaitingApproval(clock.now(), 100)).as("no sweep lists it again").isEmpty();
        assertThat(tools.invocations()).isEmpty();
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void a_decision_on_a_run_whose_agent_is_gone_is_refused_and_ends_the_run_incomplete() {
        Instance here = new Instance();
        ChatOutcome outcome = pausedForARestart(here);
        Instance withoutTheAgent = new Instance(List.of());

        assertThatThrownBy(() -> withoutTheAgent.decide(storedRun(outcome), approve(toolStep(outcome, "restart").id())))
                .isInstanceOf(AgentNotFound.class);

        Run ended = storedRun(outcome);
        assertThat(ended.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(ended.failure().code()).isEqualTo("agent_not_found");
        assertThat(toolStep(outcome, "restart").status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(threadOf(outcome).activeRun()).isEmpty();
        assertThat(tools.invocations()).isEmpty();
    }

    @Test
    void a_decision_on_a_run_with_no_working_time_left_is_recorded_and_the_same_one_again_gets_the_run() {
        runSettings = withMaxRun(Duration.ofMinutes(10));
        Instance here = new Instance();
        ChatOutcome outcome = pausedForARestart(here);
        usedUpItsWorkingTime(storedRun(outcome));
        ApprovalChoice yes = new ApprovalChoice(toolStep(outcome, "restart").id(), true, Optional.of("go ahead"),
                Optional.empty());

        Run ended = here.decide(storedRun(outcome), yes);

        assertThat(ended.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(ended.approvals().decisions()).hasSize(1);
        Step step = toolStep(outcome, "restart");
        assertThat(step.status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(step.approval().decision().approved()).isTrue();
        assertThat(step.approval().decision().reason()).isEqualTo("go ahead");
        assertThat(step.approval().decision().decidedBy()).isEqualTo(USER);
        assertThat(here.decide(storedRun(outcome), yes)).as("the same decision again").isEqualTo(storedRun(outcome));
        assertThatThrownBy(() -> here.decide(storedRun(outcome), new ApprovalChoice(step.id(), false, Optional.empty(),
                Optional.empty()))).isInstanceOf(ApprovalConflict.class);
        assertThat(tools.invocations()).isEmpty();
    }

    @Test
    void calls_that_expire_on_a_run_with_no_working_time_left_are_recorded_as_expired() {
        runSettings = withMaxRun(Duration.ofMinutes(10));
        Instance here = new Instance();
        ChatOutcome outcome = pausedForARestart(here);
        usedUpItsWorkingTime(storedRun(outcome));

        clock.advance(Duration.ofSeconds(901));
        here.expireOverdue();

        Run ended = storedRun(outcome);
        assertThat(ended.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(ended.approvals().expiredUndecided()).isTrue();
        Step step = toolStep(outcome, "restart");
        assertThat(step.status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(step.approval().decision().expired()).isTrue();
        assertThatThrownBy(() -> here.decide(storedRun(outcome), approve(step.id())))
                .isInstanceOf(ApprovalExpired.class);
    }

    @Test
    void a_call_left_waiting_by_a_store_fault_as_the_run_resumes_is_told_ended_to_those_who_saw_it_wait() {
        stepsSeenByInstances = shared -> StoreFaults.refusingStepUpdates(shared,
                step -> step.status() == StepStatus.DENIED);
        model.reply(askFor("call_1", "restart", WEB_01));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart web-01");
        StepId waiting = toolStep(outcome, "restart").id();
        here.awaitRetired(storedRun(outcome));

        here.decide(storedRun(outcome), new ApprovalChoice(waiting, false, Optional.empty(), Optional.empty()));

        Run ended = awaitEnd(storedRun(outcome));
        assertThat(ended.status()).isEqualTo(RunStatus.FAILED);
        assertThat(toolStep(outcome, "restart").status()).isEqualTo(StepStatus.FAILED);
        await().atMost(PATIENCE).until(() -> here.control.live().count() == 0);
        List<RunEvent> afterThePause = log.readAfter(outcome.threadId(), outcome.runId(),
                ended.approvals().pausedAtEvent(), 1_000, clock.now());
        assertThat(afterThePause).extracting(RunEvent::event).filteredOn(ChatEvent.TraceEnd.class::isInstance)
                .singleElement().isInstanceOfSatisfying(ChatEvent.TraceEnd.class, end -> {
                    assertThat(end.stepId()).isEqualTo(waiting);
                    assertThat(end.status()).isEqualTo("failed");
                });
        assertThat(afterThePause.getLast().event()).isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.code()).isEqualTo("store_error"));
    }

    /** Stores the run as if its working stretches had used up the limit of ten minutes before it paused. */
    private void usedUpItsWorkingTime(Run waiting) {
        runs.update(new Run(waiting.id(), waiting.threadId(), waiting.agentId(), waiting.userId(), waiting.agentVersion(),
                waiting.status(), waiting.requestMessageId(), waiting.answerMessageId(), waiting.usage(), waiting.failure(),
                waiting.createdAt(), waiting.startedAt(), waiting.endedAt(), waiting.revision() + 1, Duration.ofMinutes(10),
                waiting.resumedAt(), waiting.approvals()));
    }

    private ChatThread threadOf(ChatOutcome outcome) {
        return threads.find(new ThreadScope(AGENT, USER), outcome.threadId()).orElseThrow();
    }

    /** An event log whose writes wait until {@code opens} is counted down: an instance whose log is slow. */
    private record HeldBackLog(EventLog delegate, CountDownLatch opens) implements EventLog {
        @Override
        public void append(ThreadId threadId, RunId runId, List<RunEvent> events, long reservedThrough,
                           Instant keepUntil) {
            try {
                if (!opens.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the log was held back for good");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            delegate.append(threadId, runId, events, reservedThrough, keepUntil);
        }

        @Override
        public LoggedEvents logged(ThreadId threadId, RunId runId) {
            return delegate.logged(threadId, runId);
        }

        @Override
        public List<RunEvent> readAfter(ThreadId threadId, RunId runId, long after, int limit, Instant now) {
            return delegate.readAfter(threadId, runId, after, limit, now);
        }

        @Override
        public int deleteByThread(ThreadId threadId) {
            return delegate.deleteByThread(threadId);
        }
    }

    /** A chat on {@code here} whose model asks to restart web-01, paused for approval, with its first stretch retired. */
    private ChatOutcome pausedForARestart(Instance here) {
        model.reply(askFor("call_1", "restart", WEB_01));
        ChatOutcome outcome = here.chat("Restart web-01");
        here.awaitRetired(storedRun(outcome));
        return outcome;
    }

    /** A model call that says a word, then asks for one tool call. */
    private static Reply askFor(String callId, String tool, String arguments) {
        return Reply.builder().text("On it. ").toolCall(callId, tool, arguments).finish(FinishReason.TOOL_CALLS).build();
    }

    private static ApprovalChoice approve(StepId step) {
        return new ApprovalChoice(step, true, Optional.empty(), Optional.empty());
    }

    private Run storedRun(ChatOutcome outcome) {
        return runs.find(outcome.threadId(), outcome.runId()).orElseThrow();
    }

    private Step toolStep(ChatOutcome outcome, String tool) {
        return steps.listByRun(outcome.threadId(), outcome.runId()).stream()
                .filter(step -> step.kind() == StepKind.TOOL_CALL && step.name().equals(tool))
                .findFirst().orElseThrow();
    }

    /** Waits until the run has ended, the clock standing still; the run as it ended. */
    private Run awaitEnd(Run run) {
        await().atMost(PATIENCE).until(() -> runs.find(run.threadId(), run.id()).orElseThrow().status().isTerminal());
        return runs.find(run.threadId(), run.id()).orElseThrow();
    }

    private String answerOf(Run run) {
        return messages.listByThread(run.threadId()).stream().filter(message -> message.id().equals(run.answerMessageId()))
                .findFirst().orElseThrow().content();
    }

    private static RunSettings withMaxRun(Duration maxRunDuration) {
        RunSettings defaults = RunSettings.defaults();
        return new RunSettings(maxRunDuration, defaults.modelIdleTimeout(), defaults.onDisconnect(),
                defaults.disconnectGrace(), defaults.eventRetention(), defaults.eventFlushInterval(),
                defaults.cancelCheckInterval(), defaults.abandonGrace(), defaults.idempotencyWindow());
    }

    /** One instance of the service: its own run control, chat and approvals, over the test's stores and log. */
    private final class Instance {
        final RunControl control;
        final ChatService chat;
        final ApprovalService approvals;

        Instance() {
            this(clock);
        }

        Instance(Clock instanceClock) {
            this(instanceClock, List.of(new Agent(AGENT, Set.of(), "Operator", "", "Operate the fleet.",
                    List.of("lookup", "restart"), List.of("restart"), Agent.DEFAULT_HISTORY_TOKEN_BUDGET,
                    ModelSettings.DEFAULTS, AgentStatus.ACTIVE, Map.of(), 1, Instant.EPOCH, Instant.EPOCH)));
        }

        /** An instance whose agent catalog holds {@code known} only: none, for one that no longer has the agent. */
        Instance(List<Agent> known) {
            this(clock, known);
        }

        Instance(Clock instanceClock, List<Agent> known) {
            RunRecords records = new RunRecords(threads, messages, runs, stepsSeenByInstances.apply(steps));
            InMemoryAgentStore agents = new InMemoryAgentStore(known);
            control = RunControl.create(logSeenByInstances.apply(log), records, instanceClock, IdSource.random(),
                    runSettings);
            TurnContext context = new TurnContext(records, model, tools, instanceClock, IdSource.random(), settings);
            chat = new ChatService(agents, context, control, keys);
            approvals = new ApprovalService(agents, context, control);
        }

        /** Chats without following the stream, so the chat answers at the pause. */
        ChatOutcome chat(String message) {
            return within(() -> chat.chat(new ChatCommand(AGENT, USER, Optional.empty(), message), ChatEventSink.NOBODY));
        }

        Run decide(Run run, ApprovalChoice... choices) {
            return within(() -> approvals.decideApprovals(new ThreadRef(AGENT, USER, run.threadId()), run.id(),
                    List.of(choices)));
        }

        int expireOverdue() {
            return within(approvals::expireOverdue);
        }

        /** Waits until the run no longer executes here and its events are written. */
        void awaitRetired(Run run) {
            await().atMost(PATIENCE).until(() -> control.live().find(run.id()).isEmpty());
        }
    }

    /** What {@code action} gives, or throws, on a thread of its own: a wait on the still clock fails, not hangs, the test. */
    private static <T> T within(Supplier<T> action) {
        return OwnThread.within(PATIENCE, action);
    }
}
