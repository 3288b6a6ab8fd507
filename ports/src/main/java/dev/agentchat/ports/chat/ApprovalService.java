package dev.agentchat.ports.chat;

import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.ports.agent.AgentCatalog;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.thread.ThreadRef;
import java.util.List;
import java.util.Objects;

/**
 * Takes a person's decisions on a run that waits for approval and resumes it here, whichever instance
 * paused it: everything the run needs to go on is read back from the store. Also ends the waiting of
 * runs nobody decided in time, their calls counting as denied.
 */
public final class ApprovalService implements DecideApprovals {
    private final AgentCatalog agents;
    private final TurnContext context;
    private final RunControl control;

    public ApprovalService(AgentCatalog agents, TurnContext context, RunControl control) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.context = Objects.requireNonNull(context, "context");
        this.control = Objects.requireNonNull(control, "control");
    }

    @Override
    public Run decideApprovals(ThreadRef thread, RunId runId, List<ApprovalChoice> choices) {
        throw new UnsupportedOperationException("deciding approvals is not built yet");
    }

    /** Resumes, as denied, the runs whose waiting calls expired undecided; how many it resumed. */
    public int expireOverdue() {
        throw new UnsupportedOperationException("expiring approvals is not built yet");
    }
}
