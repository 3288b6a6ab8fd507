package dev.agentchat.domain.refusal;

import dev.agentchat.domain.thread.ThreadId;

/** The thread was soft-deleted: it can be read, but not continued. */
public final class ThreadDeleted extends Refusal {
    private final ThreadId threadId;

    public ThreadDeleted(ThreadId threadId) {
        super(Kind.CONFLICT, "Thread '" + threadId + "' was deleted and cannot be continued.");
        this.threadId = threadId;
    }

    public ThreadId threadId() {
        return threadId;
    }
}
