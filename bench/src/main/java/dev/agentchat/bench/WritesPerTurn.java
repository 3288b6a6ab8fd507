package dev.agentchat.bench;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryIdempotencyKeys;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.chat.ChatCommand;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.thread.ThreadStore;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolOutcome;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Store writes per chat turn, by record kind, as a function of the answer's length, with and without
 * a tool call: the real chat service over the in-memory stores, each store counting the writes it is
 * asked for (a write is what a Cosmos DB store turns into one request). The event log's batches are
 * counted apart: they follow the turn's duration, so a paced turn shows them growing with time.
 */
public final class WritesPerTurn {
    private static final AgentId AGENT = AgentId.of("bench");
    private static final Set<String> WRITES = Set.of("create", "update", "append", "delete", "deleteByThread");

    private WritesPerTurn() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println();
        System.out.println("### Store writes per turn (the real chat service; each store counts the writes asked of it)");
        System.out.println();
        System.out.println("| answer tokens | tool call | pace | threads | runs | messages | steps | store writes | event log batches |");
        System.out.println("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int tokens : new int[] {10, 100, 1_000}) {
            for (boolean tool : new boolean[] {false, true}) {
                turn(tokens, tool, Duration.ZERO);
            }
        }
        // A turn of about five seconds: the log's batches follow the duration and the flush interval (250 ms).
        turn(1_000, false, Duration.ofMillis(5));
        System.exit(0);
    }

    private static void turn(int tokens, boolean tool, Duration pace) throws Exception {
        AtomicLong threadWrites = new AtomicLong();
        AtomicLong runWrites = new AtomicLong();
        AtomicLong messageWrites = new AtomicLong();
        AtomicLong stepWrites = new AtomicLong();
        AtomicLong logWrites = new AtomicLong();
        ThreadStore threads = counting(ThreadStore.class, new InMemoryThreadStore(), threadWrites);
        RunStore runs = counting(RunStore.class, new InMemoryRunStore(), runWrites);
        MessageStore messages = counting(MessageStore.class, new InMemoryMessageStore(), messageWrites);
        StepStore steps = counting(StepStore.class, new InMemoryStepStore(), stepWrites);
        EventLog log = counting(EventLog.class, new InMemoryEventLog(), logWrites);
        ScriptedChatModel model = new ScriptedChatModel();
        if (tool) {
            model.reply(Reply.builder().toolCall("call-1", "lookup", "{\"q\":\"vm\"}").finish(FinishReason.TOOL_CALLS).build());
        }
        Reply.Builder answer = Reply.builder();
        for (int i = 0; i < tokens; i++) {
            if (!pace.isZero()) {
                answer.pause(pace);
            }
            answer.text("w" + i + " ");
        }
        model.reply(answer.finish(FinishReason.STOP).build());
        ScriptedToolRuntime tools = new ScriptedToolRuntime().tool("lookup", (args, progress) -> new ToolOutcome.Succeeded("ok"));
        Agent agent = new Agent(AGENT, Set.of(), "Bench", "", "Answer.", List.of("lookup"), Agent.DEFAULT_HISTORY_TOKEN_BUDGET);
        RunRecords records = new RunRecords(threads, messages, runs, steps);
        RunControl control = RunControl.create(log, records, Clock.system(), IdSource.random(), RunSettings.defaults());
        ChatService chat = new ChatService(new InMemoryAgentStore(List.of(agent)),
                new TurnContext(records, model, tools, Clock.system(), IdSource.random(), ChatSettings.defaults()), control,
                new InMemoryIdempotencyKeys());

        var outcome = chat.chat(new ChatCommand(AGENT, UserId.of("bench"), Optional.empty(), "hello"), ChatEventSink.NOBODY);
        control.live().find(outcome.runId()).ifPresent(live -> live.awaitRetired(Duration.ofSeconds(30)));

        long total = threadWrites.get() + runWrites.get() + messageWrites.get() + stepWrites.get();
        System.out.printf(Locale.ROOT, "| %,d | %s | %s | %d | %d | %d | %d | **%d** | %d |%n", tokens, tool ? "yes" : "no",
                pace.isZero() ? "at once" : pace.toMillis() + " ms a token", threadWrites.get(), runWrites.get(),
                messageWrites.get(), stepWrites.get(), total, logWrites.get());
    }

    @SuppressWarnings("unchecked")
    private static <T> T counting(Class<T> port, T store, AtomicLong writes) {
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (WRITES.contains(method.getName())) {
                writes.incrementAndGet();
            }
            try {
                return method.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
