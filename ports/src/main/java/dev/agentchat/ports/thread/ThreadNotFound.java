package dev.agentchat.ports.thread;

import dev.agentchat.domain.thread.ThreadId;

/** The thread does not exist for this agent and user. */
public final class ThreadNotFound extends RuntimeException {
    private final ThreadId threadId;

    public ThreadNotFound(ThreadId threadId) {
        super("There is no thread '" + threadId + "' for this agent.");
        this.threadId = threadId;
    }

    public ThreadId threadId() {
        return threadId;
    }
}
