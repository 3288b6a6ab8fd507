package dev.agentchat.domain.refusal;

import dev.agentchat.domain.thread.ThreadId;

/** The thread does not exist for this agent and user. */
public final class ThreadNotFound extends Refusal {
    private final ThreadId threadId;

    public ThreadNotFound(ThreadId threadId) {
        super(Kind.NOT_FOUND, "There is no thread '" + threadId + "' for this agent.");
        this.threadId = threadId;
    }

    public ThreadId threadId() {
        return threadId;
    }
}
