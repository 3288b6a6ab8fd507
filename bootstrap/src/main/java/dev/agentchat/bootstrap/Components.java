package dev.agentchat.bootstrap;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.DemoChatModel;
import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryIdempotencyKeys;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.tools.BuiltInTools;
import dev.agentchat.ports.agent.AgentStore;
import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.chat.IdempotencyKeys;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.thread.ThreadStore;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolRuntime;

/** The adapters behind the outbound ports: what the services are wired to. */
public record Components(
        AgentStore agents,
        ThreadStore threads,
        MessageStore messages,
        RunStore runs,
        StepStore steps,
        EventLog events,
        IdempotencyKeys idempotencyKeys,
        ChatModel model,
        ToolRuntime tools,
        Clock clock,
        IdSource ids) {

    /** The embedded default: in-memory stores, the offline demo model and the built-in tools. */
    public static Components embedded(Settings settings) {
        InMemoryAgentStore agents = new InMemoryAgentStore();
        ToolRuntime tools = BuiltInTools.all(java.time.Clock.systemUTC());
        AgentSeeding.seed(agents, tools, Clock.system(), settings.agents(), false);
        return new Components(agents, new InMemoryThreadStore(),
                new InMemoryMessageStore(), new InMemoryRunStore(), new InMemoryStepStore(), new InMemoryEventLog(),
                new InMemoryIdempotencyKeys(), new DemoChatModel(settings.demoModelDelay()), tools, Clock.system(), IdSource.random());
    }

    public Components withModel(ChatModel other) {
        return new Components(agents, threads, messages, runs, steps, events, idempotencyKeys, other, tools, clock, ids);
    }

    public Components withMessages(MessageStore other) {
        return new Components(agents, threads, other, runs, steps, events, idempotencyKeys, model, tools, clock, ids);
    }

    public Components withTools(ToolRuntime other) {
        return new Components(agents, threads, messages, runs, steps, events, idempotencyKeys, model, other, clock, ids);
    }

    /** The same, keeping its records in these stores. */
    public Components withStores(ThreadStore otherThreads, MessageStore otherMessages, RunStore otherRuns, StepStore otherSteps) {
        return new Components(agents, otherThreads, otherMessages, otherRuns, otherSteps, events, idempotencyKeys, model, tools,
                clock, ids);
    }

    /** The same, with the agents in this store, seeded with the configured agents as the settings say. */
    public Components withAgents(AgentStore other, Settings settings) {
        AgentSeeding.seed(other, tools, clock, settings.agents(), settings.overwriteSeededAgents());
        return new Components(other, threads, messages, runs, steps, events, idempotencyKeys, model, tools, clock, ids);
    }

    /** The same, keeping run events and idempotency keys in these stores. */
    public Components withRunRecords(EventLog otherEvents, IdempotencyKeys otherKeys) {
        return new Components(agents, threads, messages, runs, steps, otherEvents, otherKeys, model, tools, clock, ids);
    }

    public Components withRuns(RunStore other) {
        return new Components(agents, threads, messages, other, steps, events, idempotencyKeys, model, tools, clock, ids);
    }
}
