package dev.agentchat.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
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
import dev.agentchat.adapter.memory.telemetry.InMemoryTelemetry;
import dev.agentchat.adapter.memory.telemetry.InMemoryTelemetry.Watched;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.ModelCallOutcome;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.LoggedEvents;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.domain.usage.PriceTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What the telemetry port is told of a turn: the shape of the work, its parents, and how each piece ended. */
class TelemetryOnMemoryTest {
    private static final AgentId AGENT = AgentId.of("helper");
    private static final UserId USER = UserId.of("ada");

    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final InMemoryMessageStore messages = new InMemoryMessageStore();
    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final InMemoryStepStore steps = new InMemoryStepStore();
    private final ScriptedChatModel model = new ScriptedChatModel();
    private final ScriptedToolRuntime tools = new ScriptedToolRuntime();
    private final InMemoryTelemetry telemetry = new InMemoryTelemetry();
    private final RunControl control = RunControl.create(new InMemoryEventLog(), new RunRecords(threads, messages, runs, steps),
            Instant::now, IdSource.random(), RunSettings.defaults());

    @Test
    void a_turn_with_a_tool_call_is_a_run_within_the_request_holding_its_model_calls_and_its_tool_call() {
        tools.tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("{\"vm\":\"running\"}"));
        model.reply(Reply.builder().text("Checking. ").toolCall("call_1", "lookup", "{\"vm\":\"web-01\"}")
                        .usage(Usage.reported(100, 10)).finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.builder().text("It is ").text("running.").usage(Usage.reported(150, 5)).finish(FinishReason.STOP).build());

        Watched request = request();
        ChatOutcome outcome;
        try (Observation.Scope inRequest = request.makeCurrent()) {
            outcome = service(Telemetry.of(List.of(telemetry))).chat(command("Is web-01 up?"), new Sink());
        }
        request.end(new Outcome.Responded(200, Optional.of("/api/agents/{agentId}/chat")));

        Run run = runs.find(((ChatOutcome.Answered) outcome).threadId(), ((ChatOutcome.Answered) outcome).runId()).orElseThrow();
        Watched watchedRun = telemetry.begun(Work.AgentRun.class).getFirst();
        assertThat(watchedRun.parent()).contains(request);
        assertThat(watchedRun.thread()).as("the run is watched on its own thread").isEqualTo("run-" + run.id());
        Work.AgentRun started = (Work.AgentRun) watchedRun.work();
        assertThat(started.agent().id()).isEqualTo(AGENT);
        assertThat(started.model()).isEqualTo("scripted");
        assertThat(started.provider()).isEqualTo("agentchat.scripted");
        assertThat(started.resumed()).isFalse();
        assertThat(watchedRun.outcome()).hasValueSatisfying(ended -> {
            Run recorded = ((Outcome.RunEnded) ended).run();
            assertThat(recorded.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(recorded.usage()).isEqualTo(run.usage());
        });

        List<Watched> calls = telemetry.begun(Work.ModelCall.class);
        assertThat(calls).hasSize(2).allSatisfy(call -> {
            assertThat(call.parent()).contains(watchedRun);
            assertThat(call.firstChunks()).as("one first chunk a call").isEqualTo(1);
            assertThat(call.ends()).isEqualTo(1);
            assertThat(((Work.ModelCall) call.work()).conversation()).isEqualTo(run.threadId());
        });
        ModelCallOutcome first = ((Outcome.ModelAnswered) calls.get(0).outcome().orElseThrow()).outcome();
        ModelCallOutcome second = ((Outcome.ModelAnswered) calls.get(1).outcome().orElseThrow()).outcome();
        assertThat(first).isInstanceOf(ModelCallOutcome.CallTools.class);
        assertThat(first.usage().promptTokens()).isEqualTo(100);
        assertThat(second).isInstanceOf(RunOutcome.Complete.class);
        assertThat(second.usage().completionTokens()).isEqualTo(5);

        Watched toolCall = telemetry.begun(Work.ToolCall.class).getFirst();
        assertThat(toolCall.work()).isEqualTo(new Work.ToolCall("lookup", "call_1", "{\"vm\":\"web-01\"}"));
        assertThat(toolCall.parent()).contains(watchedRun);
        assertThat(toolCall.ends()).isEqualTo(1);
        assertThat(((Outcome.ToolEnded) toolCall.outcome().orElseThrow()).step().status()).isEqualTo(StepStatus.COMPLETED);

        assertThat(telemetry.begun()).extracting(watched -> watched.work().getClass().getSimpleName())
                .containsExactly("HttpRequest", "AgentRun", "ModelCall", "ToolCall", "ModelCall");
    }

    @Test
    void a_tools_own_work_is_watched_within_its_call_on_the_tools_thread() {
        List<Optional<Observation>> seenByTheTool = new CopyOnWriteArrayList<>();
        tools.tool("lookup", (args, progress) -> {
            // What a tool server's adapter does: begins its own work within what is current.
            Observation own = telemetry.begin(new Work.ToolServerCall("server", "tools/call", Optional.of("lookup"), "pipe"));
            own.end(Outcome.DONE);
            seenByTheTool.add(Optional.of(telemetry.current()));
            return new ToolOutcome.Succeeded("ok");
        });
        model.reply(Reply.builder().toolCall("call_1", "lookup", "{}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("done"));

        service(telemetry).chat(command("go"), new Sink());

        Watched toolCall = telemetry.begun(Work.ToolCall.class).getFirst();
        Watched serverCall = telemetry.begun(Work.ToolServerCall.class).getFirst();
        assertThat(serverCall.parent()).contains(toolCall);
        assertThat(serverCall.thread()).isNotEqualTo(toolCall.thread());
        assertThat(seenByTheTool).containsExactly(Optional.of(toolCall));
    }

    @Test
    void a_tool_the_turn_did_not_offer_is_watched_as_not_offered() {
        tools.tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("ok"));
        model.reply(Reply.builder().toolCall("call_1", "lookup", "{}").toolCall("call_2", "made_up_tool", "{}")
                        .finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("done"));

        service(telemetry).chat(command("go"), new Sink());

        assertThat(telemetry.begun(Work.ToolCall.class)).extracting(Watched::work).containsExactly(
                new Work.ToolCall("lookup", "call_1", "{}", true), new Work.ToolCall("made_up_tool", "call_2", "{}", false));
    }

    @Test
    void the_runs_own_writes_beside_its_turn_are_watched_within_the_run() {
        // An event log that watches its writes as a store does: within what is current on the writing thread.
        InMemoryEventLog log = new InMemoryEventLog();
        EventLog watchedLog = new EventLog() {
            @Override
            public void append(ThreadId threadId, RunId runId, List<RunEvent> events, long reservedThrough, Instant keepUntil) {
                Observation write = telemetry.begin(new Work.StoreCall("memory", "events", "append"));
                log.append(threadId, runId, events, reservedThrough, keepUntil);
                write.end(Outcome.DONE);
            }

            @Override
            public LoggedEvents logged(ThreadId threadId, RunId runId) {
                return log.logged(threadId, runId);
            }

            @Override
            public List<RunEvent> readAfter(ThreadId threadId, RunId runId, long after, int limit, Instant now) {
                return log.readAfter(threadId, runId, after, limit, now);
            }

            @Override
            public int deleteByThread(ThreadId threadId) {
                return log.deleteByThread(threadId);
            }
        };
        RunControl logged = RunControl.create(watchedLog, new RunRecords(threads, messages, runs, steps), Instant::now,
                IdSource.random(), RunSettings.defaults());
        model.reply(Reply.text("Hello"));

        new ChatService(new InMemoryAgentStore(List.of(agent())), context(telemetry), logged, new InMemoryIdempotencyKeys())
                .chat(command("go"), new Sink());

        Watched run = telemetry.begun(Work.AgentRun.class).getFirst();
        await().until(() -> !telemetry.begun(Work.StoreCall.class).isEmpty());
        assertThat(telemetry.begun(Work.StoreCall.class)).allSatisfy(write -> {
            assertThat(write.parent()).contains(run);
            assertThat(write.thread()).startsWith("run-watch-");
        });
    }

    @Test
    void a_model_fault_ends_the_model_call_and_the_run_failed() {
        model.reply(Reply.builder().text("Half an ").fail("model_error", "The model failed.").build());

        service(telemetry).chat(command("go"), new Sink());

        Watched call = telemetry.begun(Work.ModelCall.class).getFirst();
        ModelCallOutcome ended = ((Outcome.ModelAnswered) call.outcome().orElseThrow()).outcome();
        assertThat(ended).isInstanceOfSatisfying(RunOutcome.Fail.class,
                fail -> assertThat(fail.failure().code()).isEqualTo("model_error"));
        Run run = ((Outcome.RunEnded) telemetry.begun(Work.AgentRun.class).getFirst().outcome().orElseThrow()).run();
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failure().code()).isEqualTo("model_error");
    }

    @Test
    void a_client_that_follows_a_run_from_another_request_is_linked_to_it() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        model.reply(Reply.builder().text("Wait ").await(release).text("for it.").build());
        ChatService service = service(telemetry);
        CompletableFuture<Run> started = new CompletableFuture<>();
        CompletableFuture<ChatOutcome> chat = CompletableFuture.supplyAsync(() -> service.chat(command("go"), new Sink() {
            @Override
            public void open(RunId runId, ThreadId threadId) {
                started.complete(runs.find(threadId, runId).orElseThrow());
            }
        }), runnable -> Thread.ofVirtual().start(runnable));
        await().until(() -> !telemetry.begun(Work.ModelCall.class).isEmpty());
        Run run = started.join();

        Watched follow = request();
        CompletableFuture<Boolean> followed = CompletableFuture.supplyAsync(() -> {
            try (Observation.Scope inRequest = follow.makeCurrent()) {
                return control.streams().follow(run, new Sink(), 0);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        await().until(() -> !telemetry.begun(Work.AgentRun.class).getFirst().links().isEmpty());
        release.complete(null);

        assertThat(followed.join()).isTrue();
        chat.join();
        assertThat(telemetry.begun(Work.AgentRun.class).getFirst().links()).containsExactly(follow);
    }

    @Test
    void combined_telemetries_each_see_all_the_work_with_their_own_parents() {
        InMemoryTelemetry other = new InMemoryTelemetry();
        tools.tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("ok"));
        model.reply(Reply.builder().toolCall("call_1", "lookup", "{}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("done"));

        service(Telemetry.of(List.of(telemetry, Telemetry.OFF, other))).chat(command("go"), new Sink());

        for (InMemoryTelemetry part : List.of(telemetry, other)) {
            assertThat(part.begun()).extracting(watched -> watched.work().getClass().getSimpleName())
                    .containsExactly("AgentRun", "ModelCall", "ToolCall", "ModelCall");
            Watched run = part.begun(Work.AgentRun.class).getFirst();
            assertThat(part.begun()).allSatisfy(watched -> {
                assertThat(watched.ends()).isEqualTo(1);
                if (watched != run) {
                    assertThat(watched.parent()).contains(run);
                }
            });
        }
    }

    private Watched request() {
        return (Watched) telemetry.begin(new Work.HttpRequest("POST", name -> Optional.empty()));
    }

    private ChatService service(Telemetry watching) {
        return new ChatService(new InMemoryAgentStore(List.of(agent())), context(watching), control, new InMemoryIdempotencyKeys());
    }

    private static Agent agent() {
        return new Agent(AGENT, Set.of(), "Helper", "", "Use tools.", List.of("lookup"), Agent.DEFAULT_HISTORY_TOKEN_BUDGET);
    }

    private TurnContext context(Telemetry watching) {
        return new TurnContext(new RunRecords(threads, messages, runs, steps), model, tools, Instant::now,
                IdSource.random(), new ChatSettings(4, Duration.ofSeconds(5), PriceTable.EMPTY)).watchedBy(watching);
    }

    private static ChatCommand command(String message) {
        return new ChatCommand(AGENT, USER, Optional.empty(), message);
    }

    /** A client that takes every event. */
    private static class Sink implements ChatEventSink {
        final List<ChatEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void open(RunId runId, ThreadId threadId) {
        }

        @Override
        public void emit(RunEvent numbered) {
            events.add(numbered.event());
        }

        @Override
        public void onDisconnect(Runnable action) {
        }
    }
}
