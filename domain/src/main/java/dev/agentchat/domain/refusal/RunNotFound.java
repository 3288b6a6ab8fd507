package dev.agentchat.domain.refusal;

import dev.agentchat.domain.run.RunId;

/** No run with this id in the thread, for this caller. */
public final class RunNotFound extends Refusal {
    private final RunId runId;

    public RunNotFound(RunId runId) {
        super(Kind.NOT_FOUND, "Run '" + runId + "' was not found.");
        this.runId = runId;
    }

    public RunId runId() {
        return runId;
    }
}
