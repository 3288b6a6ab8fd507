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
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.domain.refusal.ApprovalConflict;
import dev.agentchat.domain.refusal.InvalidApprovals;
import dev.agentchat.domain.refusal.ThreadNotFound;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.step.StepKind;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.thread.ChatThread;
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
import dev.agentchat.ports.chat.ClientResume;
import dev.agentchat.ports.chat.ClientThreadResumes;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.thread.ClientThreadKey;
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
 * A client whose protocol ends its run at a pause (AG-UI) answers the pause in its next request, naming the
 * thread by its own key: the run is decided, followed from its pause to its end or its next pause, and the
 * outcome tells which. Over the in-memory adapters, a scripted model and scripted tools, on a clock that moves
 * only when the test moves it; each "instance" is a run control, chat, approval and resume service of its own
 * over the same stores and event log.
 */
class ClientThreadResumesOnMemoryTest {
    private static final AgentId AGENT = AgentId.of("operator");
    private static final UserId USER = UserId.of("ada");
    private static final UserId OTHER_USER = UserId.of("grace");
    private static final String KEY = "2f6c1a0e-client-thread";
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final ToolDefinition GET_LOCATION = new ToolDefinition("get_location",
            "Where the user's browser is.", "{\"type\":\"object\",\"properties\":{}}");
    private static final String LISBON = "{\"city\":\"Lisbon\"}";
    private static final String WEB_01 = "{\"vm\":\"web-01\"}";
    private static final String WEB_02 = "{\"vm\":\"web-02\"}";

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

    ClientThreadResumesOnMemoryTest() {
        tools.tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("{\"state\":\"stuck\"}"));
        tools.tool("restart", (args, progress) -> new ToolOutcome.Succeeded("restarted " + args));
    }

    @Test
    void the_clients_result_resumes_its_run_streaming_only_what_follows_the_pause_and_answers_with_the_stored_answer() {
        // given a client's thread whose run paused on a call of the client's own tool
        model.reply(askFor("call_1", "get_location", "{}")).reply(Reply.text("You are in Lisbon."));
        Instance here = new Instance();
        ChatOutcome paused = here.chat("Where am I?", GET_LOCATION);
        assertThat(paused).isInstanceOf(ChatOutcome.AwaitingApproval.class);
        Run waiting = storedRun(paused);
        long pausedAt = waiting.approvals().pausedAtEvent();
        StepId call = toolStep(paused, "get_location").id();
        here.awaitRetired(waiting);
        RecordedEvents client = new RecordedEvents();

        // when the client sends the tool's result in its next request, naming the thread by its key
        ChatOutcome outcome = here.resume(USER, client, ApprovalChoice.clientResult(call, LISBON));

        // then it gets the events after the pause, each once and in order, up to the run's end
        assertThat(pausedAt).isPositive();
        assertThat(client.runId).isEqualTo(waiting.id());
        assertThat(client.ids()).isNotEmpty();
        assertThat(client.ids().getFirst()).isEqualTo(pausedAt + 1);
        assertThat(client.ids()).containsExactlyElementsOf(
                LongStream.rangeClosed(pausedAt + 1, client.ids().getLast()).boxed().toList());
        await().atMost(PATIENCE).until(() -> !events(waiting).isEmpty() && events(waiting).getLast().isLast());
        assertThat(client.events).containsExactlyElementsOf(
                events(waiting).stream().filter(event -> event.sequence() > pausedAt).toList());
        assertThat(client.events.getLast().isLast()).isTrue();
        assertThat(client.events.getLast().event()).isInstanceOf(ChatEvent.Done.class);
        // and the outcome is the run's stored answer, which the model gave knowing the client's result
        Run done = storedRun(paused);
        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(outcome).isInstanceOfSatisfying(ChatOutcome.Answered.class, answered -> {
            assertThat(answered.runId()).isEqualTo(waiting.id());
            assertThat(answered.threadId()).isEqualTo(waiting.threadId());
            assertThat(answered.messageId()).isEqualTo(done.answerMessageId());
            assertThat(answered.answer()).isEqualTo(storedAnswerOf(done)).isEqualTo("You are in Lisbon.");
        });
        assertThat(model.requests()).hasSize(2);
        assertThat(model.requests().get(1).last()).isEqualTo(new ModelMessage.ToolResult("call_1", LISBON));
        assertThat(tools.invocations()).isEmpty();
    }

    @Test
    void an_approval_whose_run_pauses_again_answers_with_the_new_pause_having_sent_only_what_came_between() {
        // given a client's thread whose run paused on a call that needs approval, and whose model asks for another
        model.reply(askFor("call_1", "restart", WEB_01)).reply(askFor("call_2", "restart", WEB_02))
                .reply(Reply.text("Both restarted."));
        Instance here = new Instance();
        ChatOutcome paused = here.chat("Restart web-01, then web-02");
        Run first = storedRun(paused);
        long firstPause = first.approvals().pausedAtEvent();
        StepId call = toolStep(paused, "restart").id();
        here.awaitRetired(first);
        RecordedEvents client = stopsAtPauses();

        // when the client approves the call in its next request
        ChatOutcome outcome = here.resume(USER, client, approve(call));

        // then the outcome is the run's new pause, on the second call
        Run again = storedRun(paused);
        assertThat(again.status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        long secondPause = again.approvals().pausedAtEvent();
        assertThat(secondPause).isGreaterThan(firstPause);
        assertThat(again.approvals().pending()).extracting(PendingCall::callId, PendingCall::arguments)
                .containsExactly(tuple("call_2", WEB_02));
        assertThat(outcome).isInstanceOfSatisfying(ChatOutcome.AwaitingApproval.class, waiting -> {
            assertThat(waiting.run().id()).isEqualTo(first.id());
            assertThat(waiting.run().approvals()).isEqualTo(again.approvals());
        });
        // and the client got the events between the two pauses, each once, ending with the new pause's request
        assertThat(client.ids()).containsExactlyElementsOf(
                LongStream.rangeClosed(firstPause + 1, secondPause).boxed().toList());
        assertThat(client.events.getLast().event()).isInstanceOfSatisfying(ChatEvent.ApprovalRequired.class,
                required -> assertThat(required.stepId()).isEqualTo(again.approvals().pending().getFirst().stepId()));
        assertThat(tools.invocations()).containsExactly(new ToolInvocation("restart", WEB_01));
        assertThat(model.requests()).hasSize(2);
    }

    @Test
    void another_user_naming_the_same_key_finds_no_thread_and_the_run_waits_on_unchanged() {
        // given a client's thread whose run waits for the client's result
        model.reply(askFor("call_1", "get_location", "{}"));
        Instance here = new Instance();
        ChatOutcome paused = here.chat("Where am I?", GET_LOCATION);
        StepId call = toolStep(paused, "get_location").id();
        here.awaitRetired(storedRun(paused));
        Stored before = stored(paused);
        RecordedEvents intruder = new RecordedEvents();

        // when another user sends a result under the same key, then their key names another thread, which is not there
        assertThatThrownBy(() -> here.resume(OTHER_USER, intruder, ApprovalChoice.clientResult(call, LISBON)))
                .isInstanceOfSatisfying(ThreadNotFound.class, missing -> assertThat(missing.threadId())
                        .isEqualTo(new ClientThreadKey(KEY).threadOf(AGENT, OTHER_USER))
                        .isNotEqualTo(paused.threadId()));

        assertThat(storedRun(paused).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(stored(paused)).isEqualTo(before);
        assertThat(threads.list(new ThreadScope(AGENT, OTHER_USER), EnumSet.allOf(ThreadStatus.class),
                PageRequest.first(10)).total()).isZero();
        assertThat(intruder.runId).isNull();
        assertThat(intruder.events).isEmpty();
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void a_thread_whose_run_ended_has_nothing_to_answer_and_is_a_conflict() {
        // given a client's thread whose run completed without a pause
        model.reply(Reply.text("Hello."));
        Instance here = new Instance();
        ChatOutcome answered = here.chat("Hi");
        assertThat(answered).isInstanceOf(ChatOutcome.Answered.class);
        here.awaitRetired(storedRun(answered));
        RecordedEvents client = new RecordedEvents();

        // when the client sends an answer for it, then it is refused as a conflict naming the run
        assertThatThrownBy(() -> here.resume(USER, client, approve(StepId.of("step_none"))))
                .isInstanceOfSatisfying(ApprovalConflict.class, conflict -> {
                    assertThat(conflict.run().id()).isEqualTo(answered.runId());
                    assertThat(conflict.run().status()).isEqualTo(RunStatus.COMPLETED);
                });
        assertThat(storedRun(answered).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(client.events).isEmpty();
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void an_answer_for_a_run_whose_agent_was_deleted_while_it_waited_is_refused_and_ends_the_run_freeing_its_thread() {
        // given a client's thread whose run paused on a call that needs approval, and an instance that no longer has the agent
        model.reply(askFor("call_1", "restart", WEB_01));
        Instance here = new Instance();
        ChatOutcome paused = here.chat("Restart web-01");
        StepId call = toolStep(paused, "restart").id();
        here.awaitRetired(storedRun(paused));
        Instance withoutTheAgent = new Instance(false);
        RecordedEvents client = new RecordedEvents();

        // when the client approves the call there, then the agent is not found
        assertThatThrownBy(() -> withoutTheAgent.resume(USER, client, approve(call)))
                .isInstanceOfSatisfying(AgentNotFound.class, gone -> assertThat(gone.agentId()).isEqualTo(AGENT));

        // and the run ended at once, incomplete, rather than holding its thread until its call expires
        Run ended = storedRun(paused);
        assertThat(ended.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(ended.failure().code()).isEqualTo("agent_not_found");
        assertThat(threadOf(paused).activeRun()).isEmpty();
        assertThat(toolStep(paused, "restart").status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(client.events).isEmpty();
        assertThat(tools.invocations()).isEmpty();
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void answers_that_leave_a_waiting_call_out_are_refused_naming_it_and_the_run_waits_on() {
        // given a client's thread whose run waits on a call that needs approval and on the client's own tool
        model.reply(Reply.builder().toolCall("call_1", "restart", WEB_01).toolCall("call_2", "get_location", "{}")
                .finish(FinishReason.TOOL_CALLS).build());
        Instance here = new Instance();
        ChatOutcome paused = here.chat("Restart web-01 wherever I am", GET_LOCATION);
        StepId restart = toolStep(paused, "restart").id();
        StepId location = toolStep(paused, "get_location").id();
        here.awaitRetired(storedRun(paused));
        Stored before = stored(paused);
        RecordedEvents client = new RecordedEvents();

        // when the client answers only the approval, then the answers are refused, naming the call left out
        assertThatThrownBy(() -> here.resume(USER, client, approve(restart)))
                .isInstanceOfSatisfying(InvalidApprovals.class, invalid -> {
                    assertThat(invalid.missing()).containsExactly(location);
                    assertThat(invalid.unknown()).isEmpty();
                });

        assertThat(storedRun(paused).status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(stored(paused)).isEqualTo(before);
        assertThat(client.runId).isNull();
        assertThat(client.events).isEmpty();
        assertThat(tools.invocations()).isEmpty();
        assertThat(model.requests()).hasSize(1);
    }

    /** What is stored of a thread and its run: a refused answer changes none of it. */
    private record Stored(ChatThread thread, Run run, List<Step> steps, List<Message> messages, List<RunEvent> events) {
    }

    private Stored stored(ChatOutcome outcome) {
        Run run = storedRun(outcome);
        return new Stored(threadOf(outcome), run, steps.listByRun(run.threadId(), run.id()),
                messages.listByThread(run.threadId()), events(run));
    }

    private List<RunEvent> events(Run run) {
        return log.readAfter(run.threadId(), run.id(), 0, 1_000, clock.now());
    }

    /** A client whose protocol ends its stream at a pause and answers it in a new request. */
    private static RecordedEvents stopsAtPauses() {
        return new RecordedEvents() {
            @Override
            public boolean followsPastPauses() {
                return false;
            }
        };
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

    private ChatThread threadOf(ChatOutcome outcome) {
        return threads.find(new ThreadScope(AGENT, USER), outcome.threadId()).orElseThrow();
    }

    private String storedAnswerOf(Run run) {
        return messages.listByThread(run.threadId()).stream().filter(message -> message.id().equals(run.answerMessageId()))
                .map(Message::content).findFirst().orElseThrow();
    }

    private Step toolStep(ChatOutcome outcome, String tool) {
        return steps.listByRun(outcome.threadId(), outcome.runId()).stream()
                .filter(step -> step.kind() == StepKind.TOOL_CALL && step.name().equals(tool))
                .findFirst().orElseThrow();
    }

    /** One instance of the service: its own run control, chat, approvals and resumes, over the test's stores and log. */
    private final class Instance {
        final RunControl control;
        final ChatService chat;
        final ClientThreadResumes resumes;

        Instance() {
            this(true);
        }

        /** An instance whose agent store has the agent, or lacks it ({@code hasTheAgent} false: deleted meanwhile). */
        Instance(boolean hasTheAgent) {
            RunRecords records = new RunRecords(threads, messages, runs, steps);
            InMemoryAgentStore agents = new InMemoryAgentStore(hasTheAgent ? List.of(new Agent(AGENT, Set.of(),
                    "Operator", "", "Operate the fleet.", List.of("lookup", "restart"), List.of("restart"),
                    Agent.DEFAULT_HISTORY_TOKEN_BUDGET, ModelSettings.DEFAULTS, AgentStatus.ACTIVE, Map.of(), 1,
                    Instant.EPOCH, Instant.EPOCH)) : List.of());
            control = RunControl.create(log, records, clock, IdSource.random(), RunSettings.defaults());
            TurnContext context = new TurnContext(records, model, tools, clock, IdSource.random(), settings);
            chat = new ChatService(agents, context, control, keys);
            ApprovalService approvals = new ApprovalService(agents, context, control);
            resumes = new ClientThreadResumes(agents, context, approvals, control.streams());
        }

        /** Chats on the client's thread {@link #KEY}, offering {@code clientTools}, answering at a pause. */
        ChatOutcome chat(String message, ToolDefinition... clientTools) {
            return within(() -> chat.chat(ChatCommand.toClientThread(AGENT, USER, KEY, message, Optional.empty(),
                    List.of(clientTools)), ChatEventSink.NOBODY));
        }

        /** {@code user} answers the pause of their thread {@link #KEY} with {@code answers}, watching through {@code sink}. */
        ChatOutcome resume(UserId user, ChatEventSink sink, ApprovalChoice... answers) {
            return within(() -> resumes.resume(new ClientResume(AGENT, user, new ClientThreadKey(KEY), List.of(answers)),
                    sink));
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
