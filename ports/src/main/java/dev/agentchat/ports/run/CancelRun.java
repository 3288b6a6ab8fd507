package dev.agentchat.ports.run;

import dev.agentchat.domain.refusal.RunFinished;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.ports.thread.ThreadRef;

/** Use case: stop a run before it finishes, keeping what it answered. */
public interface CancelRun {

    /**
     * Asks the run to stop and waits a little for it to end. Returns the run as it is then:
     * cancelled, or still cancelling when another instance runs it (it stops there within a cancel check).
     *
     * @throws RunFinished when the run has already ended
     */
    Run cancelRun(ThreadRef thread, RunId runId);
}
