package dev.agentchat.ports.run;

import dev.agentchat.domain.run.RunId;

/** No run with this id in the thread, for this caller. */
public final class RunNotFound extends RuntimeException {
    private final RunId runId;

    public RunNotFound(RunId runId) {
        super("Run '" + runId + "' was not found.");
        this.runId = runId;
    }

    public RunId runId() {
        return runId;
    }
}
