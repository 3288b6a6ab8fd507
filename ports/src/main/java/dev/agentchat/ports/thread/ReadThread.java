package dev.agentchat.ports.thread;

import dev.agentchat.domain.refusal.ThreadNotFound;

/** Use case: a user reads one thread with its whole history: messages, runs and their steps. */
public interface ReadThread {
    /**
     * @throws dev.agentchat.domain.refusal.AgentNotFound when the agent does not exist
     * @throws ThreadNotFound when the thread does not exist for this agent and user
     */
    ThreadHistory read(ThreadRef thread);
}
