package dev.agentchat.domain.thread;

import dev.agentchat.domain.run.RunId;

/** The thread has a run in progress, so it cannot be removed now. */
public final class ThreadBusy extends RuntimeException {
    private final ThreadId threadId;
    private final RunId runId;

    public ThreadBusy(ThreadId threadId, RunId runId) {
        super("Thread '" + threadId + "' has run '" + runId + "' in progress; it can be removed once the run has ended.");
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
