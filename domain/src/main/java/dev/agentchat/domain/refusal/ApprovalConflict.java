package dev.agentchat.domain.refusal;

import dev.agentchat.domain.run.Run;
import java.util.Locale;

/**
 * Decisions for a run that does not wait for them: it was decided otherwise already, or it is not
 * waiting for approval at all (it runs, or ended).
 */
public final class ApprovalConflict extends Refusal {
    private final Run run;

    public ApprovalConflict(Run run, String why) {
        super(Kind.CONFLICT, "Run '" + run.id() + "' is " + run.status().name().toLowerCase(Locale.ROOT) + ": " + why);
        this.run = run;
    }

    public Run run() {
        return run;
    }
}
