package dev.agentchat.domain.refusal;

import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;

/** The thread has a run in progress: it takes no second run, and cannot be removed, until that one ends. */
public final class ThreadBusy extends Refusal {
    private final ThreadId threadId;
    private final RunId runId;

    public ThreadBusy(ThreadId threadId, RunId runId) {
        super(Kind.CONFLICT, "Thread '" + threadId + "' has run '" + runId + "' in progress; wait for it to end, or cancel it.");
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
