package dev.agentchat.ports.thread;

import dev.agentchat.domain.refusal.ThreadNotFound;

/** Use case: a user deletes a thread, by flagging it (soft) or removing it and everything in it (hard). */
public interface DeleteThread {
    /**
     * @throws dev.agentchat.domain.refusal.AgentNotFound when the agent does not exist
     * @throws ThreadNotFound when the thread does not exist for this agent and user
     * @throws dev.agentchat.domain.refusal.ThreadBusy on a hard delete while one of the thread's runs is in progress
     */
    void delete(ThreadRef thread, boolean hard);
}
