package dev.agentchat.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
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
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.refusal.ApprovalConflict;
import dev.agentchat.domain.refusal.ClientToolClash;
import dev.agentchat.domain.refusal.InvalidApprovals;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.step.StepKind;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.domain.usage.PriceTable;
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
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.thread.ThreadRef;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The client's own tools (AG-UI's frontend tools), offered to the model beside the agent's: a call of one
 * pauses the run as a call that needs approval does, and the client's result resumes it, on any instance.
 * Over the in-memory adapters, a scripted model and scripted tools, on a clock that moves only when the
 * test moves it; each "instance" is a run control, chat service and approval service of its own over the
 * same stores and event log.
 */
class ClientToolsOnMemoryTest {
    private static final AgentId AGENT = AgentId.of("operator");
    private static final UserId USER = UserId.of("ada");
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final ToolDefinition GET_LOCATION = new ToolDefinition("get_location",
            "Where the user's browser is.", "{\"type\":\"object\",\"properties\":{}}");
    private static final String LISBON = "{\"city\":\"Lisbon\"}";
    private static final String WEB_01 = "{\"vm\":\"web-01\"}";

    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final InMemoryMessageStore messages = new InMemoryMessageStore();
    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final InMemoryStepStore steps = new InMemoryStepStore();
    private final ManualClock clock = ManualClock.atSomeDate();
    private final InMemoryEventLog log = new InMemoryEventLog(clock);
    private final InMemoryIdempotencyKeys keys = new InMemoryIdempotencyKeys();
    private final ScriptedChatModel model = new ScriptedChatModel();
    private final ScriptedToolRuntime tools = new ScriptedToolRuntime();
    private final ChatSettings settings = new ChatSettings(4, Duration.ofSeconds(5), PriceTable.EMPTY);

    ClientToolsOnMemoryTest() {
        tools.tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("{\"state\":\"stuck\"}"));
        tools.tool("restart", (args, progress) -> new ToolOutcome.Succeeded("restarted " + args));
    }

    @Test
    void the_model_is_offered_the_clients_tools_beside_the_agents_and_a_call_of_one_pauses_the_run_unrun() {
        model.reply(askFor("call_1", "get_location", "{}"));
        Instance here = new Instance();

        ChatOutcome outcome = here.chat("Where am I?", GET_LOCATION);

        assertThat(model.requests().getFirst().tools()).extracting(ToolDefinition::name)
                .containsExactly("lookup", "restart", "get_location");
        assertThat(outcome).isInstanceOf(ChatOutcome.AwaitingApproval.class);
        Run waiting = storedRun(outcome);
        assertThat(waiting.status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(waiting.clientTools()).containsExactly(GET_LOCATION);
        Step step = toolStep(outcome, "get_location");
        assertThat(step.status()).isEqualTo(StepStatus.AWAITING_APPROVAL);
        assertThat(step.isClientSide()).isTrue();
        assertThat(waiting.approvals().pending()).containsExactly(
                new PendingCall(step.id(), 0, "call_1", "get_location", "{}", true));
        assertThat(tools.invocations()).isEmpty();
        here.awaitRetired(waiting);
        assertThat(events(waiting)).containsSubsequence(
                new ChatEvent.TraceStart(step.id(), "get_location", "{}", step.startedAt()),
                new ChatEvent.ApprovalRequired(step.id(), "get_location", "{}", waiting.approvals().expiresAt(),
                        step.startedAt(), true));
        assertThat(events(waiting).getLast()).isInstanceOf(ChatEvent.ApprovalRequired.class);
    }

    @Test
    void the_clients_result_completes_the_call_and_the_models_next_request_carries_it() {
        model.reply(askFor("call_1", "get_location", "{}")).reply(Reply.text("You are in Lisbon."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Where am I?", GET_LOCATION);
        Step step = toolStep(outcome, "get_location");
        here.awaitRetired(storedRun(outcome));
        clock.advance(Duration.ofSeconds(3));

        Run decided = here.decide(storedRun(outcome), ApprovalChoice.clientResult(step.id(), LISBON));

        assertThat(decided.status()).isEqualTo(RunStatus.IN_PROGRESS);
        Run done = awaitEnd(decided);
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(tools.invocations()).isEmpty();
        assertThat(model.requests().get(1).messages()).endsWith(
                new ModelMessage.Assistant("", List.of(new ModelStreamItem.ToolCallRequest("call_1", "get_location", "{}"))),
                new ModelMessage.ToolResult("call_1", LISBON));
        assertThat(model.requests().get(1).tools()).extracting(ToolDefinition::name).contains("get_location");
        Step completed = toolStep(outcome, "get_location");
        assertThat(completed.status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(completed.output()).isEqualTo(LISBON);
        assertThat(completed.approval().decision().output()).isEqualTo(LISBON);
        assertThat(completed.approval().decision().decidedBy()).isEqualTo(USER);
        assertThat(completed.latency()).isEqualTo(Duration.ofSeconds(3));
        assertThat(events(done)).contains(new ChatEvent.TraceEnd(step.id(), "completed", LISBON, null, 3_000,
                completed.endedAt()));
    }

    @Test
    void a_tool_the_agent_came_to_have_under_a_client_tools_name_while_the_run_waited_is_offered_once_as_the_agents() {
        tools.tool("get_location", (args, progress) -> new ToolOutcome.Succeeded("{\"city\":\"Porto\"}"));
        model.reply(askFor("call_1", "get_location", "{}")).reply(askFor("call_2", "get_location", "{}"))
                .reply(Reply.text("Porto now."));
        ChatOutcome outcome = new Instance().chat("Where am I?", GET_LOCATION);
        Step step = toolStep(outcome, "get_location");
        new Instance().awaitRetired(storedRun(outcome));
        Instance edited = new Instance(List.of("lookup", "restart", "get_location"));

        edited.decide(storedRun(outcome), ApprovalChoice.clientResult(step.id(), LISBON));

        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(model.requests().get(1).tools()).extracting(ToolDefinition::name)
                .containsExactlyInAnyOrder("lookup", "restart", "get_location");
        assertThat(model.requests().get(1).tools()).filteredOn(tool -> tool.name().equals("get_location"))
                .singleElement().isNotEqualTo(GET_LOCATION);
        assertThat(tools.invocations()).extracting(ToolInvocation::toolName).containsExactly("get_location");
    }

    @Test
    void a_call_the_client_declines_is_not_run_and_the_model_is_told_the_client_did_not_run_it() {
        model.reply(askFor("call_1", "get_location", "{}")).reply(Reply.text("Never mind."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Where am I?", GET_LOCATION);
        Step step = toolStep(outcome, "get_location");
        here.awaitRetired(storedRun(outcome));

        here.decide(storedRun(outcome), new ApprovalChoice(step.id(), false, Optional.of("the user said no"),
                Optional.empty()));

        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(model.requests().get(1).last()).isEqualTo(new ModelMessage.ToolResult("call_1",
                "Error: The client did not run this tool call: the user said no. Do not call it again unless asked."));
        assertThat(toolStep(outcome, "get_location").status()).isEqualTo(StepStatus.DENIED);
    }

    @Test
    void a_call_the_client_gives_no_result_for_in_time_tells_the_model_so_once_it_expires() {
        model.reply(askFor("call_1", "get_location", "{}")).reply(Reply.text("No answer from your browser."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Where am I?", GET_LOCATION);
        here.awaitRetired(storedRun(outcome));

        clock.advance(Duration.ofSeconds(901));
        assertThat(here.expireOverdue()).isEqualTo(1);

        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(model.requests().get(1).last()).isEqualTo(new ModelMessage.ToolResult("call_1",
                "Error: The client gave no result for this tool call within 900 seconds."));
        Step expired = toolStep(outcome, "get_location");
        assertThat(expired.status()).isEqualTo(StepStatus.DENIED);
        assertThat(expired.approval().decision().expired()).isTrue();
    }

    @Test
    void one_pause_holds_a_call_of_the_clients_tool_and_one_that_needs_approval_while_an_ungated_call_runs_at_once() {
        model.reply(Reply.builder().toolCall("call_1", "restart", WEB_01).toolCall("call_2", "lookup", WEB_01)
                        .toolCall("call_3", "get_location", "{}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("Restarted, from Lisbon."));
        Instance here = new Instance();

        ChatOutcome outcome = here.chat("Restart web-01 wherever I am", GET_LOCATION);

        assertThat(tools.invocations()).containsExactly(new ToolInvocation("lookup", WEB_01));
        Run waiting = storedRun(outcome);
        assertThat(waiting.approvals().pending()).extracting(PendingCall::tool, PendingCall::clientSide)
                .containsExactly(tuple("restart", false), tuple("get_location", true));
        here.awaitRetired(waiting);
        assertThat(events(waiting)).filteredOn(ChatEvent.ApprovalRequired.class::isInstance)
                .extracting(event -> ((ChatEvent.ApprovalRequired) event).clientSide()).containsExactly(false, true);

        here.decide(waiting, approve(toolStep(outcome, "restart").id()),
                ApprovalChoice.clientResult(toolStep(outcome, "get_location").id(), LISBON));

        assertThat(awaitEnd(waiting).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(tools.invocations()).containsExactly(new ToolInvocation("lookup", WEB_01),
                new ToolInvocation("restart", WEB_01));
        assertThat(model.requests().get(1).messages()).endsWith(
                new ModelMessage.ToolResult("call_1", "restarted " + WEB_01),
                new ModelMessage.ToolResult("call_2", "{\"state\":\"stuck\"}"),
                new ModelMessage.ToolResult("call_3", LISBON));
    }

    @Test
    void an_answer_of_the_wrong_kind_is_refused_naming_the_calls_and_the_run_waits_on() {
        model.reply(Reply.builder().toolCall("call_1", "restart", WEB_01).toolCall("call_2", "get_location", "{}")
                .finish(FinishReason.TOOL_CALLS).build());
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Restart web-01 wherever I am", GET_LOCATION);
        StepId restart = toolStep(outcome, "restart").id();
        StepId location = toolStep(outcome, "get_location").id();
        here.awaitRetired(storedRun(outcome));

        assertThatThrownBy(() -> here.decide(storedRun(outcome), ApprovalChoice.clientResult(restart, "done"),
                approve(location)))
                .isInstanceOfSatisfying(InvalidApprovals.class, invalid -> {
                    assertThat(invalid.mismatched()).containsExactly(restart, location);
                    assertThat(invalid.missing()).isEmpty();
                    assertThat(invalid.unknown()).isEmpty();
                });
        assertThat(storedRun(outcome).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(tools.invocations()).isEmpty();
    }

    @Test
    void the_same_result_again_gets_the_run_as_it_is_and_another_result_is_a_conflict() {
        model.reply(askFor("call_1", "get_location", "{}")).reply(Reply.text("Lisbon it is."));
        Instance here = new Instance();
        ChatOutcome outcome = here.chat("Where am I?", GET_LOCATION);
        StepId step = toolStep(outcome, "get_location").id();
        here.awaitRetired(storedRun(outcome));
        here.decide(storedRun(outcome), ApprovalChoice.clientResult(step, LISBON));
        Run done = awaitEnd(storedRun(outcome));

        Run again = here.decide(done, ApprovalChoice.clientResult(step, LISBON));

        assertThat(again).isEqualTo(done);
        assertThat(model.requests()).hasSize(2);
        assertThatThrownBy(() -> here.decide(done, ApprovalChoice.clientResult(step, "{\"city\":\"Porto\"}")))
                .isInstanceOf(ApprovalConflict.class);
    }

    @Test
    void a_second_instance_resumes_the_run_offering_the_clients_tools_it_stored() {
        model.reply(askFor("call_1", "get_location", "{}")).reply(Reply.text("You are in Lisbon."));
        Instance pausing = new Instance();
        ChatOutcome outcome = pausing.chat("Where am I?", GET_LOCATION);
        pausing.awaitRetired(storedRun(outcome));
        Instance other = new Instance();

        other.decide(storedRun(outcome), ApprovalChoice.clientResult(toolStep(outcome, "get_location").id(), LISBON));

        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(model.requests().get(1).tools()).containsExactly(tools.definitions().get(0),
                tools.definitions().get(1), GET_LOCATION);
        assertThat(model.requests().get(1).last()).isEqualTo(new ModelMessage.ToolResult("call_1", LISBON));
    }

    @Test
    void the_events_are_numbered_on_across_a_pause_for_the_clients_calls_without_a_gap_or_a_repeat() {
        ToolDefinition getWeather = new ToolDefinition("get_weather", "The weather where the browser is.",
                "{\"type\":\"object\"}");
        model.reply(Reply.builder().text("Let me look. ").toolCall("call_1", "get_location", "{}")
                        .toolCall("call_2", "restart", WEB_01).toolCall("call_3", "get_weather", "{}")
                        .finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("Sunny in Lisbon."));
        Instance first = new Instance();
        Instance second = new Instance();
        ChatOutcome outcome = first.chat("Where am I, and how is the weather?", GET_LOCATION, getWeather);
        first.awaitRetired(storedRun(outcome));

        second.decide(storedRun(outcome), ApprovalChoice.clientResult(toolStep(outcome, "get_location").id(), LISBON),
                approve(toolStep(outcome, "restart").id()),
                ApprovalChoice.clientResult(toolStep(outcome, "get_weather").id(), "sunny"));

        assertThat(awaitEnd(storedRun(outcome)).status()).isEqualTo(RunStatus.COMPLETED);
        await().atMost(PATIENCE).until(() -> first.control.live().count() == 0 && second.control.live().count() == 0);
        List<RunEvent> logged = log.readAfter(outcome.threadId(), outcome.runId(), 0, 1_000, clock.now());
        assertThat(logged).extracting(RunEvent::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, logged.size()).boxed().toList());
        // The client's calls begin before the pause is told; after it, their results come first, then the approved call runs.
        assertThat(logged).extracting(event -> event.event().getClass().getSimpleName()).containsExactly(
                "Token", "TraceStart", "TraceStart", "ApprovalRequired", "ApprovalRequired", "ApprovalRequired",
                "TraceEnd", "TraceEnd", "TraceStart", "TraceEnd", "Token", "Done");
        assertThat(storedRun(outcome).approvals().pausedAtEvent())
                .as("the pause counts both events of each of the client's calls").isEqualTo(1 + 5);
    }

    @Test
    void a_client_tool_named_like_one_of_the_agents_is_refused_before_anything_is_stored() {
        Instance here = new Instance();
        ToolDefinition lookalike = new ToolDefinition("restart", "Restart the page.", "{\"type\":\"object\"}");

        assertThatThrownBy(() -> here.chat(new ChatCommand(AGENT, USER, Optional.empty(), "Restart", Optional.of("key-1"),
                Optional.empty(), List.of(GET_LOCATION, lookalike))))
                .isInstanceOfSatisfying(ClientToolClash.class, clash -> assertThat(clash.tools()).containsExactly("restart"));

        assertThat(threads.list(new ThreadScope(AGENT, USER), EnumSet.allOf(ThreadStatus.class), PageRequest.first(10))
                .total()).isZero();
        assertThat(model.requests()).isEmpty();
        model.reply(Reply.text("Fine."));
        ChatOutcome retried = here.chat(new ChatCommand(AGENT, USER, Optional.empty(), "Restart", Optional.of("key-1"),
                Optional.empty(), List.of(GET_LOCATION)));
        assertThat(retried).as("the refused request claimed no idempotency key").isInstanceOf(ChatOutcome.Answered.class);
    }

    private List<ChatEvent> events(Run run) {
        return log.readAfter(run.threadId(), run.id(), 0, 1_000, clock.now()).stream().map(RunEvent::event).toList();
    }

    /** A model call that asks for one tool call. */
    private static Reply askFor(String callId, String tool, String arguments) {
        return Reply.builder().toolCall(callId, tool, arguments).finish(FinishReason.TOOL_CALLS).build();
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

    private Run awaitEnd(Run run) {
        await().atMost(PATIENCE).until(() -> runs.find(run.threadId(), run.id()).orElseThrow().status().isTerminal());
        return runs.find(run.threadId(), run.id()).orElseThrow();
    }

    /** One instance of the service: its own run control, chat and approvals, over the test's stores and log. */
    private final class Instance {
        final RunControl control;
        final ChatService chat;
        final ApprovalService approvals;

        Instance() {
            this(List.of("lookup", "restart"));
        }

        /** An instance whose agent has {@code agentTools}, as edited while a run waited, say. */
        Instance(List<String> agentTools) {
            RunRecords records = new RunRecords(threads, messages, runs, steps);
            InMemoryAgentStore agents = new InMemoryAgentStore(List.of(new Agent(AGENT, Set.of(), "Operator", "",
                    "Operate the fleet.", agentTools, List.of("restart"),
                    Agent.DEFAULT_HISTORY_TOKEN_BUDGET, ModelSettings.DEFAULTS, AgentStatus.ACTIVE, Map.of(), 1,
                    Instant.EPOCH, Instant.EPOCH)));
            control = RunControl.create(log, records, clock, IdSource.random(), RunSettings.defaults());
            TurnContext context = new TurnContext(records, model, tools, clock, IdSource.random(), settings);
            chat = new ChatService(agents, context, control, keys);
            approvals = new ApprovalService(agents, context, control);
        }

        /** Chats offering the client's {@code clientTools}, without following the stream, so the chat answers at the pause. */
        ChatOutcome chat(String message, ToolDefinition... clientTools) {
            return chat(new ChatCommand(AGENT, USER, Optional.empty(), message, Optional.empty(), Optional.empty(),
                    List.of(clientTools)));
        }

        ChatOutcome chat(ChatCommand command) {
            return within(() -> chat.chat(command, ChatEventSink.NOBODY));
        }

        Run decide(Run run, ApprovalChoice... choices) {
            return within(() -> approvals.decideApprovals(new ThreadRef(AGENT, USER, run.threadId()), run.id(),
                    List.of(choices)));
        }

        int expireOverdue() {
            return within(approvals::expireOverdue);
        }

        void awaitRetired(Run run) {
            await().atMost(PATIENCE).until(() -> control.live().find(run.id()).isEmpty());
        }
    }

    /** What {@code action} gives, or throws, on a thread of its own: a wait on the still clock fails, not hangs, the test. */
    private static <T> T within(Supplier<T> action) {
        return OwnThread.within(PATIENCE, action);
    }
}
