package dev.agentchat.domain.refusal;

import dev.agentchat.domain.run.Run;

/** Decisions sent after the run's waiting calls expired: they counted as denied, and the run goes on without them. */
public final class ApprovalExpired extends Refusal {
    private final Run run;

    public ApprovalExpired(Run run) {
        super(Kind.CONFLICT, "The tool calls of run '" + run.id() + "' waited for approval until "
                + run.approvals().expiresAt() + " and counted as denied; the run goes on without them.");
        this.run = run;
    }

    public Run run() {
        return run;
    }
}
