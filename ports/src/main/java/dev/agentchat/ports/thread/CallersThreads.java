package dev.agentchat.ports.thread;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.domain.refusal.ThreadNotFound;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.ports.agent.AgentCatalog;
import java.util.Objects;

/**
 * The threads a caller may see: those of the agent and user a reference names. A thread of another
 * user, or of another agent, is not found, exactly as one that does not exist.
 */
public final class CallersThreads {
    private final AgentCatalog agents;
    private final ThreadStore threads;

    public CallersThreads(AgentCatalog agents, ThreadStore threads) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.threads = Objects.requireNonNull(threads, "threads");
    }

    /** The thread {@code ref} names, within its agent and user; refused as not found otherwise. */
    public ChatThread find(ThreadRef ref) {
        Agent agent = agents.find(ref.agentId()).orElseThrow(() -> new AgentNotFound(ref.agentId()));
        return threads.find(new ThreadScope(agent.id(), ref.userId()), ref.threadId())
                .orElseThrow(() -> new ThreadNotFound(ref.threadId()));
    }
}
