package dev.agentchat.domain.refusal;

import dev.agentchat.domain.run.Run;

/** The run has already ended, so it cannot be cancelled. */
public final class RunFinished extends Refusal {
    private final Run run;

    public RunFinished(Run run) {
        super(Kind.CONFLICT, "Run '" + run.id() + "' has already ended (" + run.status().name().toLowerCase(java.util.Locale.ROOT)
                + "); there is nothing to cancel.");
        this.run = run;
    }

    public Run run() {
        return run;
    }
}
