package dev.agentchat.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.StoreFaults;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.memory.time.ManualClock;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepKind;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Price;
import dev.agentchat.domain.usage.PriceTable;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryIdempotencyKeys;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.chat.ChatOutcome;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The tool loop over the in-memory adapters, a scripted model and scripted tools. */
class ToolLoopOnMemoryTest {
    private static final AgentId AGENT = AgentId.of("helper");
    private static final UserId USER = UserId.of("ada");

    private final InMemoryThreadStore threads = new InMemoryThreadStore();
    private final InMemoryMessageStore messages = new InMemoryMessageStore();
    private final InMemoryRunStore runs = new InMemoryRunStore();
    private RunSettings runSettings = RunSettings.defaults();
    private final InMemoryStepStore steps = new InMemoryStepStore();
    private final ScriptedChatModel model = new ScriptedChatModel();
    private final ScriptedToolRuntime tools = new ScriptedToolRuntime();
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
    private ChatSettings settings = new ChatSettings(4, Duration.ofSeconds(5),
            new PriceTable(Map.of("scripted", new Price(new BigDecimal("2.50"), new BigDecimal("10.00")))));
    private int historyBudget = Agent.DEFAULT_HISTORY_TOKEN_BUDGET;
    /** The turn's clock in the tests of timeouts and latencies: it moves only when the test moves it. */
    private final ManualClock clock = ManualClock.atSomeDate();
    /** How long a test waits for what happens on another thread: long, since a busy machine is slow, not wrong. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Test
    void a_tool_call_is_traced_recorded_as_a_step_and_its_result_given_back_to_the_model() {
        tools.tool("lookup", (args, progress) -> {
            progress.report("looking");
            return new ToolOutcome.Succeeded("{\"vm\":\"running\"}");
        });
        model.reply(Reply.builder().text("Checking. ").toolCall("call_1", "lookup", "{\"vm\":\"web-01\"}")
                        .usage(Usage.reported(100, 10)).finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.builder().text("It is running.").usage(Usage.reported(150, 5)).finish(FinishReason.STOP).build());
        RecordingSink sink = new RecordingSink();

        ChatOutcome outcome = service().chat(command("Is web-01 up?"), sink);

        assertThat(sink.types()).containsExactly("Token", "TraceStart", "TraceUpdate", "TraceEnd", "Token", "Done");
        ChatEvent.TraceStart start = (ChatEvent.TraceStart) sink.events.get(1);
        assertThat(start.tool()).isEqualTo("lookup");
        assertThat(start.arguments()).isEqualTo("{\"vm\":\"web-01\"}");
        ChatEvent.TraceEnd end = (ChatEvent.TraceEnd) sink.events.get(3);
        assertThat(end.stepId()).isEqualTo(start.stepId());
        assertThat(end.status()).isEqualTo("completed");
        assertThat(end.output()).isEqualTo("{\"vm\":\"running\"}");

        ModelMessage.Assistant asked = (ModelMessage.Assistant) model.requests().get(1).messages().get(1);
        assertThat(asked.toolCalls()).singleElement().satisfies(call -> assertThat(call.callId()).isEqualTo("call_1"));
        assertThat(model.requests().get(1).messages().get(2)).isEqualTo(new ModelMessage.ToolResult("call_1", "{\"vm\":\"running\"}"));
        assertThat(model.requests().getFirst().tools()).extracting(tool -> tool.name()).containsExactly("lookup");

        Run run = runs.listByThread(outcome.threadId()).getFirst();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.usage().promptTokens()).isEqualTo(250);
        assertThat(run.usage().completionTokens()).isEqualTo(15);
        assertThat(((ChatEvent.Done) sink.last()).tokensUsed()).isEqualTo(265);
        // 250 prompt tokens at $2.50 per million plus 15 completion tokens at $10.00 per million
        assertThat(run.usage().cost().usd()).isEqualByComparingTo("0.000775");
        assertThat(messages.listByThread(outcome.threadId()).get(1).content()).isEqualTo("Checking. It is running.");

        List<Step> recorded = steps.listByRun(outcome.threadId(), run.id());
        assertThat(recorded).extracting(Step::kind)
                .containsExactlyInAnyOrder(StepKind.MODEL_CALL, StepKind.TOOL_CALL, StepKind.MODEL_CALL);
        Step toolStep = recorded.stream().filter(step -> step.kind() == StepKind.TOOL_CALL).findFirst().orElseThrow();
        assertThat(toolStep.status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(toolStep.round()).isEqualTo(1);
        assertThat(recorded.stream().filter(step -> step.kind() == StepKind.MODEL_CALL).map(step -> step.usage().totalTokens()))
                .containsExactlyInAnyOrder(110L, 155L);
    }

    @Test
    void two_tool_calls_of_one_answer_run_at_the_same_time() {
        CountDownLatch bothStarted = new CountDownLatch(2);
        tools.tool("slow", (args, progress) -> {
            bothStarted.countDown();
            try {
                return bothStarted.await(5, TimeUnit.SECONDS) ? new ToolOutcome.Succeeded("met " + args)
                        : new ToolOutcome.Failed("the other call never started");
            } catch (InterruptedException e) {
                return new ToolOutcome.Failed("interrupted");
            }
        });
        model.reply(Reply.builder().toolCall("a", "slow", "1").toolCall("b", "slow", "2").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("done"));

        ChatOutcome outcome = service().chat(command("go"), new RecordingSink());

        assertThat(outcome).isInstanceOf(ChatOutcome.Answered.class);
        assertThat(model.requests().get(1).messages().subList(2, 4)).containsExactly(
                new ModelMessage.ToolResult("a", "met 1"), new ModelMessage.ToolResult("b", "met 2"));
    }

    @Test
    void a_failing_tool_is_reported_to_the_model_as_an_error_not_a_crash() {
        tools.tool("divide", (args, progress) -> new ToolOutcome.Failed("division by zero"));
        model.reply(Reply.builder().toolCall("c1", "divide", "{}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("I could not divide that."));
        RecordingSink sink = new RecordingSink();

        ChatOutcome outcome = service().chat(command("1/0?"), sink);

        assertThat(outcome).isInstanceOf(ChatOutcome.Answered.class);
        ChatEvent.TraceEnd end = (ChatEvent.TraceEnd) sink.events.stream().filter(e -> e instanceof ChatEvent.TraceEnd)
                .findFirst().orElseThrow();
        assertThat(end.status()).isEqualTo("failed");
        assertThat(end.error()).isEqualTo("division by zero");
        assertThat(model.requests().get(1).last()).isEqualTo(new ModelMessage.ToolResult("c1", "Error: division by zero"));
    }

    @Test
    void a_tool_that_throws_or_is_not_the_agents_is_an_error_result_too() {
        tools.tool("explode", (args, progress) -> {
            throw new IllegalStateException("boom");
        });
        tools.tool("secret", (args, progress) -> new ToolOutcome.Succeeded("should not run"));
        model.reply(Reply.builder().toolCall("x", "explode", "{}").toolCall("y", "secret", "{}").toolCall("z", "nope", "{}")
                        .finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("ok"));

        ChatOutcome outcome = service(List.of("explode")).chat(command("try"), new RecordingSink());

        assertThat(outcome).isInstanceOf(ChatOutcome.Answered.class);
        List<ModelMessage> results = model.requests().get(1).messages().subList(2, 5);
        assertThat(results).extracting(ModelMessage::content).containsExactly(
                "Error: The tool failed unexpectedly.",
                "Error: There is no tool named 'secret' for this agent.",
                "Error: There is no tool named 'nope' for this agent.");
        assertThat(tools.invocations()).extracting(call -> call.toolName()).containsExactly("explode");
        assertThat(model.requests().getFirst().tools()).extracting(tool -> tool.name()).containsExactly("explode");
    }

    @Test
    void a_tool_that_outlives_its_timeout_is_stopped_and_reported_as_failed() {
        // given a tool that only an interrupt ends, on a clock the test moves
        CountDownLatch interrupted = new CountDownLatch(1);
        tools.tool("hang", (args, progress) -> {
            try {
                new CountDownLatch(1).await();
                return new ToolOutcome.Succeeded("woke");
            } catch (InterruptedException e) {
                interrupted.countDown();
                return new ToolOutcome.Failed("interrupted");
            }
        });
        model.reply(Reply.builder().toolCall("h", "hang", "{}").finish(FinishReason.TOOL_CALLS).build()).reply(Reply.text("gave up"));
        CompletableFuture<ChatOutcome> chat = chatAsync(service(clock), command("wait"), new RecordingSink());
        await().atMost(PATIENCE).until(() -> !tools.invocations().isEmpty());

        // when the tool's time is up
        clock.advance(settings.toolTimeout());

        // then
        assertThat(chat).succeedsWithin(PATIENCE);
        assertThat(awaitQuietly(interrupted)).as("the tool's thread was interrupted").isTrue();
        assertThat(model.requests().get(1).last().content()).startsWith("Error: The tool did not finish within 5 seconds");
    }

    @Test
    void a_tool_is_not_stopped_before_its_timeout() {
        // given a tool that finishes when the test says, on a clock the test moves
        CountDownLatch finish = new CountDownLatch(1);
        tools.tool("hang", finishingWhen(finish));
        model.reply(Reply.builder().toolCall("h", "hang", "{}").finish(FinishReason.TOOL_CALLS).build()).reply(Reply.text("done"));
        CompletableFuture<ChatOutcome> chat = chatAsync(service(clock), command("wait"), new RecordingSink());
        await().atMost(PATIENCE).until(() -> !tools.invocations().isEmpty());

        // when all but a millisecond of its time passes, and then it finishes
        clock.advance(settings.toolTimeout().minusMillis(1));
        finish.countDown();

        // then
        assertThat(chat).succeedsWithin(PATIENCE);
        assertThat(model.requests().get(1).last().content()).isEqualTo("in time");
    }

    @Test
    void a_tool_gets_its_whole_time_however_long_its_step_took_to_record() {
        // given a step store that takes 4 of a tool's 5 seconds to record the call, as the test's clock counts
        StepStore slowSteps = StoreFaults.beforeStepCreates(steps, step -> {
            if (step.kind() == StepKind.TOOL_CALL) {
                clock.advance(settings.toolTimeout().minusSeconds(1));
            }
        });
        CountDownLatch finish = new CountDownLatch(1);
        tools.tool("hang", finishingWhen(finish));
        model.reply(Reply.builder().toolCall("h", "hang", "{}").finish(FinishReason.TOOL_CALLS).build()).reply(Reply.text("done"));
        Agent agent = new Agent(AGENT, Set.of(), "Helper", "", "Use tools.", List.of("hang"), historyBudget);
        ChatService service = new ChatService(new InMemoryAgentStore(List.of(agent)), new TurnContext(
                new RunRecords(threads, messages, runs, slowSteps), model, tools, clock, IdSource.random(), settings),
                control(), new InMemoryIdempotencyKeys());
        CompletableFuture<ChatOutcome> chat = chatAsync(service, command("wait"), new RecordingSink());
        await().atMost(PATIENCE).until(() -> !tools.invocations().isEmpty());

        // when two more seconds pass (six since the step was begun, two since the tool started), and then it finishes
        clock.advance(Duration.ofSeconds(2));
        finish.countDown();

        // then the tool was not cut off: its time counts from its start, not from the write of its record
        assertThat(chat).succeedsWithin(PATIENCE);
        assertThat(model.requests().get(1).last().content()).isEqualTo("in time");
    }

    @Test
    void a_model_that_keeps_asking_for_tools_stops_at_the_limit_and_the_run_ends_incomplete() {
        tools.tool("again", (args, progress) -> new ToolOutcome.Succeeded("more"));
        for (int i = 0; i < 4; i++) {
            model.reply(Reply.builder().text("step " + i + ". ").toolCall("c" + i, "again", "{}")
                    .usage(Usage.reported(10, 1)).finish(FinishReason.TOOL_CALLS).build());
        }
        RecordingSink sink = new RecordingSink();

        ChatOutcome outcome = service().chat(command("loop"), sink);

        Run run = runs.listByThread(outcome.threadId()).getFirst();
        assertThat(run.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(run.failure().code()).isEqualTo("max_model_calls");
        assertThat(model.requests()).hasSize(4);
        assertThat(tools.invocations()).hasSize(3);
        assertThat(run.usage().totalTokens()).isEqualTo(44);
        assertThat(sink.last()).isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.code()).isEqualTo("max_model_calls"));
        assertThat(messages.listByThread(outcome.threadId()).get(1).content()).isEqualTo("step 0. step 1. step 2. step 3. ");
    }

    @Test
    void a_continued_thread_sends_earlier_tool_calls_and_results_with_the_history() {
        tools.tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("42"));
        model.reply(Reply.builder().toolCall("c1", "lookup", "{\"q\":1}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("It is 42."))
                .reply(Reply.text("Still 42."));
        ThreadId thread = service().chat(command("What is it?"), new RecordingSink()).threadId();

        service().chat(new ChatCommand(AGENT, USER, Optional.of(thread), "Sure?"), new RecordingSink());

        List<ModelMessage> sent = model.requests().get(2).messages();
        assertThat(sent).hasSize(5);
        assertThat(sent.get(0)).isEqualTo(ModelMessage.user("What is it?"));
        assertThat(sent.get(1)).isInstanceOfSatisfying(ModelMessage.Assistant.class,
                asked -> assertThat(asked.toolCalls()).singleElement().satisfies(call -> {
                    assertThat(call.callId()).isEqualTo("c1");
                    assertThat(call.arguments()).isEqualTo("{\"q\":1}");
                }));
        assertThat(sent.get(2)).isEqualTo(new ModelMessage.ToolResult("c1", "42"));
        assertThat(sent.get(3)).isEqualTo(ModelMessage.assistant("It is 42."));
        assertThat(sent.get(4)).isEqualTo(ModelMessage.user("Sure?"));
    }

    @Test
    void a_long_history_is_trimmed_oldest_first_keeping_a_tool_call_with_its_result() {
        historyBudget = 60;
        tools.tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("r".repeat(80)));
        model.reply(Reply.text("a".repeat(200)))
                .reply(Reply.builder().toolCall("c1", "lookup", "{}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("short answer"))
                .reply(Reply.text("fine"));
        ThreadId thread = service().chat(command("old question"), new RecordingSink()).threadId();
        service().chat(new ChatCommand(AGENT, USER, Optional.of(thread), "look it up"), new RecordingSink());

        service().chat(new ChatCommand(AGENT, USER, Optional.of(thread), "and now?"), new RecordingSink());

        List<ModelMessage> sent = model.requests().get(3).messages();
        assertThat(sent).extracting(ModelMessage::content).doesNotContain("old question", "a".repeat(200));
        assertThat(sent.getLast()).isEqualTo(ModelMessage.user("and now?"));
        boolean hasCall = sent.stream().anyMatch(m -> m instanceof ModelMessage.Assistant a && !a.toolCalls().isEmpty());
        boolean hasResult = sent.stream().anyMatch(m -> m instanceof ModelMessage.ToolResult);
        assertThat(hasCall).as("a tool call and its result stay together").isEqualTo(hasResult);
        assertThat(sent).contains(ModelMessage.assistant("short answer"));
    }

    @Test
    void a_tool_that_ignores_its_interrupt_does_not_hold_the_run_past_the_timeout() {
        // given a tool that ignores interrupts on purpose and returns only once the test lets it, after the run
        Semaphore letGo = new Semaphore(0);
        tools.tool("stubborn", (args, progress) -> {
            letGo.acquireUninterruptibly();
            return new ToolOutcome.Succeeded("too late");
        });
        model.reply(Reply.builder().toolCall("s", "stubborn", "{}").finish(FinishReason.TOOL_CALLS).build()).reply(Reply.text("ok"));
        try {
            CompletableFuture<ChatOutcome> chat = chatAsync(service(List.of("stubborn"), clock), command("go"), new RecordingSink());
            await().atMost(PATIENCE).until(() -> !tools.invocations().isEmpty());

            // when the tool's time is up
            clock.advance(settings.toolTimeout());

            // then the run ends while the tool still runs
            ChatOutcome outcome = assertThat(chat).succeedsWithin(PATIENCE).actual();
            assertThat(steps.listByThread(outcome.threadId())).filteredOn(step -> step.kind() == StepKind.TOOL_CALL)
                    .singleElement().satisfies(step -> assertThat(step.status()).isEqualTo(StepStatus.FAILED));
        } finally {
            letGo.release();
        }
    }

    @Test
    void under_the_cancel_policy_a_client_that_leaves_during_a_tool_stops_it_and_no_step_stays_in_progress() {
        runSettings = runSettings.withDisconnectPolicy(RunSettings.DisconnectPolicy.CANCEL).withDisconnectGrace(java.time.Duration.ZERO);
        CountDownLatch interrupted = new CountDownLatch(1);
        tools.tool("wait", (args, progress) -> {
            try {
                new CountDownLatch(1).await();   // only an interrupt ends it
                return new ToolOutcome.Succeeded("woke");
            } catch (InterruptedException e) {
                interrupted.countDown();
                return new ToolOutcome.Failed("interrupted");
            }
        });
        model.reply(Reply.builder().toolCall("w", "wait", "{}").finish(FinishReason.TOOL_CALLS).build());
        RecordingSink sink = new RecordingSink();
        sink.leaveOn = ChatEvent.TraceStart.class;

        // The clock never moves: the run cannot end by the tool's timeout.
        ChatOutcome outcome = assertThat(chatAsync(service(List.of("wait"), clock), command("go"), sink))
                .as("ended without the tool's timeout").succeedsWithin(PATIENCE).actual();
        // The tool was cancelled before it began, or interrupted while it ran: either way it is not left running.
        if (!tools.invocations().isEmpty()) {
            assertThat(awaitQuietly(interrupted)).as("the running tool was interrupted").isTrue();
        }
        assertThat(steps.listByThread(outcome.threadId())).filteredOn(step -> step.kind() == StepKind.TOOL_CALL)
                .singleElement().satisfies(step -> assertThat(step.status()).isEqualTo(StepStatus.CANCELLED));
        assertThat(runs.listByThread(outcome.threadId()).getFirst().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(steps.listByThread(outcome.threadId())).allSatisfy(step -> assertThat(step.status().isTerminal()).isTrue());
    }

    @Test
    void each_tool_call_ends_when_it_is_done_not_when_the_slowest_is() {
        // given a slow tool that takes 300 ms of the test's clock, once the fast one has ended
        RecordingSink sink = new RecordingSink();
        tools.tool("fast", (args, progress) -> new ToolOutcome.Succeeded("quick"));
        tools.tool("slow", (args, progress) -> {
            await().atMost(PATIENCE).until(() -> sink.types().contains("TraceEnd"));
            clock.advance(Duration.ofMillis(300));
            return new ToolOutcome.Succeeded("slow");
        });
        model.reply(Reply.builder().toolCall("a", "slow", "{}").toolCall("b", "fast", "{}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("ok"));

        // when
        ChatOutcome outcome = assertThat(chatAsync(service(List.of("fast", "slow"), clock), command("go"), sink))
                .succeedsWithin(PATIENCE).actual();

        // then
        Step fast = toolStep(outcome.threadId(), "fast");
        Step slow = toolStep(outcome.threadId(), "slow");
        assertThat(fast.latency()).isEqualTo(Duration.ZERO);
        assertThat(slow.latency()).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void calls_made_in_the_same_millisecond_come_back_to_the_model_in_the_order_asked() {
        tools.tool("echo", (args, progress) -> new ToolOutcome.Succeeded(args));
        Reply.Builder many = Reply.builder();
        for (int i = 0; i < 6; i++) {
            many.toolCall("c" + i, "echo", "{\"n\":" + i + "}");
        }
        model.reply(many.finish(FinishReason.TOOL_CALLS).build()).reply(Reply.text("done")).reply(Reply.text("again"));
        Agent agent = new Agent(AGENT, Set.of(), "Helper", "", "Use tools.", List.of("echo"), historyBudget);
        Instant frozen = Instant.parse("2026-11-25T00:00:00Z");
        ChatService service = new ChatService(new InMemoryAgentStore(List.of(agent)), context(() -> frozen), control(),
                new InMemoryIdempotencyKeys());
        ThreadId thread = service.chat(command("go"), new RecordingSink()).threadId();

        service.chat(new ChatCommand(AGENT, USER, Optional.of(thread), "more"), new RecordingSink());

        List<ModelMessage> sent = model.requests().get(2).messages();
        assertThat(((ModelMessage.Assistant) sent.get(1)).toolCalls()).extracting(call -> call.callId())
                .containsExactly("c0", "c1", "c2", "c3", "c4", "c5");
        assertThat(sent.subList(2, 8)).extracting(message -> ((ModelMessage.ToolResult) message).callId())
                .containsExactly("c0", "c1", "c2", "c3", "c4", "c5");
    }

    @Test
    void a_call_the_model_wrote_wrongly_gets_an_error_result_and_leaves_no_step_open() {
        tools.tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("ok"));
        model.reply(Reply.builder().toolCall("", "lookup", "{}").finish(FinishReason.TOOL_CALLS).build()).reply(Reply.text("sorry"));

        ChatOutcome outcome = service().chat(command("go"), new RecordingSink());

        assertThat(outcome).isInstanceOf(ChatOutcome.Answered.class);
        assertThat(model.requests().get(1).last().content()).startsWith("Error: The tool call is not valid");
        assertThat(steps.listByThread(outcome.threadId())).allSatisfy(step -> assertThat(step.status().isTerminal()).isTrue());
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Step toolStep(ThreadId thread, String tool) {
        return steps.listByThread(thread).stream().filter(step -> step.kind() == StepKind.TOOL_CALL && step.name().equals(tool))
                .findFirst().orElseThrow();
    }

    /** A tool that answers "in time" once {@code finish} opens, or fails when it is interrupted first. */
    private static BiFunction<String, ToolProgress, ToolOutcome> finishingWhen(CountDownLatch finish) {
        return (args, progress) -> {
            try {
                finish.await();
                return new ToolOutcome.Succeeded("in time");
            } catch (InterruptedException e) {
                return new ToolOutcome.Failed("interrupted");
            }
        };
    }

    private ChatService service() {
        return service(List.of("lookup", "slow", "divide", "again", "hang"));
    }

    private ChatService service(List<String> agentTools) {
        return service(agentTools, () -> Instant.ofEpochMilli(millis.getAndAdd(1)));
    }

    private ChatService service(Clock turnClock) {
        return service(List.of("lookup", "slow", "divide", "again", "hang"), turnClock);
    }

    private ChatService service(List<String> agentTools, Clock turnClock) {
        Agent agent = new Agent(AGENT, Set.of(), "Helper", "", "Use tools.", agentTools, historyBudget);
        return new ChatService(new InMemoryAgentStore(List.of(agent)), context(turnClock), control(),
                new InMemoryIdempotencyKeys());
    }

    /** What the test's turns work with: its stores, model, tools and settings, on {@code clock}. */
    private TurnContext context(Clock clock) {
        return new TurnContext(new RunRecords(threads, messages, runs, steps), model, tools, clock, IdSource.random(), settings);
    }

    /** Chats on a thread of its own, so that the test can move the clock meanwhile. */
    private static CompletableFuture<ChatOutcome> chatAsync(ChatService service, ChatCommand command, RecordingSink sink) {
        return CompletableFuture.supplyAsync(() -> service.chat(command, sink), runnable -> Thread.ofVirtual().start(runnable));
    }

    /** Run control over the test's stores, with its run settings. */
    private RunControl control() {
        return RunControl.create(new InMemoryEventLog(), new RunRecords(threads, messages, runs, steps), Instant::now, IdSource.random(), runSettings);
    }

    private static ChatCommand command(String message) {
        return new ChatCommand(AGENT, USER, Optional.empty(), message);
    }

    /** Keeps every event; tools report progress from their own threads. */
    private static final class RecordingSink implements ChatEventSink {
        final List<ChatEvent> events = new CopyOnWriteArrayList<>();
        final List<Runnable> onDisconnect = new CopyOnWriteArrayList<>();
        /** The kind of event at which the client leaves, if any. */
        Class<? extends ChatEvent> leaveOn;
        volatile boolean gone;

        @Override
        public void open(RunId runId, ThreadId threadId) {
        }

        @Override
        public void emit(RunEvent numbered) {
            ChatEvent event = numbered.event();
            if (gone) {
                throw new dev.agentchat.ports.chat.ClientDisconnected("gone", null);
            }
            events.add(event);
            if (leaveOn != null && leaveOn.isInstance(event)) {
                gone = true;
                onDisconnect.forEach(Runnable::run);
            }
        }

        @Override
        public void onDisconnect(Runnable action) {
            onDisconnect.add(action);
        }

        List<String> types() {
            return events.stream().map(event -> event.getClass().getSimpleName()).toList();
        }

        ChatEvent last() {
            return events.getLast();
        }
    }
}
