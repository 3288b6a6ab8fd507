package dev.agentchat.ports.thread;

/** Use case: a user lists their threads with an agent, a page at a time. */
public interface ListThreads {
    /** @throws dev.agentchat.domain.refusal.AgentNotFound when the agent does not exist */
    ThreadPage list(ThreadListQuery query);
}
