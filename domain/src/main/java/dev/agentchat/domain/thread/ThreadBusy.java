package dev.agentchat.domain.thread;

import dev.agentchat.domain.run.RunId;

/** The thread has a run in progress: it takes no second run, and cannot be removed, until that one ends. */
public final class ThreadBusy extends RuntimeException {
    private final ThreadId threadId;
    private final RunId runId;

    public ThreadBusy(ThreadId threadId, RunId runId) {
        super("Thread '" + threadId + "' has run '" + runId + "' in progress; wait for it to end, or cancel it.");
        this.threadId = threadId;
        this.runId = runId;
    }

    public ThreadId threadId() {
        return threadId;
    }

    public RunId runId() {
        return runId;
    }
}
