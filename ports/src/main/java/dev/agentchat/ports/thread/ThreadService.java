package dev.agentchat.ports.thread;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.ports.agent.AgentCatalog;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.time.Clock;
import java.util.Objects;

/** Lists, reads and deletes threads, always within the caller's agent and user. */
public final class ThreadService implements ListThreads, ReadThread, DeleteThread {
    private final AgentCatalog agents;
    private final CallersThreads callers;
    private final ThreadStore threads;
    private final MessageStore messages;
    private final RunStore runs;
    private final StepStore steps;
    private final EventLog events;
    private final Clock clock;

    /** Over the agents, the conversation records, the run events (a hard delete removes them too) and the clock. */
    public ThreadService(AgentCatalog agents, RunRecords records, EventLog events, Clock clock) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.threads = records.threads();
        this.messages = records.messages();
        this.runs = records.runs();
        this.steps = records.steps();
        this.callers = new CallersThreads(agents, threads);
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ThreadPage list(ThreadListQuery query) {
        Agent agent = agents.find(query.agentId()).orElseThrow(() -> new AgentNotFound(query.agentId()));
        return threads.list(new ThreadScope(agent.id(), query.userId()), query.statuses(), query.page());
    }

    @Override
    public ThreadHistory read(ThreadRef ref) {
        ChatThread thread = find(ref);
        return new ThreadHistory(thread, messages.listByThread(thread.id()), runs.listByThread(thread.id()),
                steps.listByThread(thread.id()));
    }

    @Override
    public void delete(ThreadRef ref, boolean hard) {
        ChatThread thread = find(ref);
        if (hard) {
            thread.checkRemovable(runs.listByThread(thread.id()));
            // Children first: a failure midway leaves the thread in place, so the delete can simply be retried.
            events.deleteByThread(thread.id());
            steps.deleteByThread(thread.id());
            runs.deleteByThread(thread.id());
            messages.deleteByThread(thread.id());
            threads.delete(thread.scope(), thread.id());
        } else {
            ChatThread deleted = thread.softDeleted(clock.now());
            if (deleted != thread) {   // deleting a deleted thread again changes nothing, so writes nothing
                threads.update(deleted);
            }
        }
    }

    private ChatThread find(ThreadRef ref) {
        return callers.find(ref);
    }
}
