package dev.agentchat.ports.run;

import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.step.Step;
import java.util.List;
import java.util.Objects;

/** A run with its steps, in the order they started. */
public record RunDetails(Run run, List<Step> steps) {
    public RunDetails {
        Objects.requireNonNull(run, "run");
        steps = List.copyOf(steps);
    }
}
