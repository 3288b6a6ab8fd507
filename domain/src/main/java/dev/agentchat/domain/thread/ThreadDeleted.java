package dev.agentchat.domain.thread;

/** The thread was soft-deleted: it can be read, but not continued. */
public final class ThreadDeleted extends RuntimeException {
    private final ThreadId threadId;

    public ThreadDeleted(ThreadId threadId) {
        super("Thread '" + threadId + "' was deleted and cannot be continued.");
        this.threadId = threadId;
    }

    public ThreadId threadId() {
        return threadId;
    }
}
