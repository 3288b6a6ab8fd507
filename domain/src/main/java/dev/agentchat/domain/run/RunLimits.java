package dev.agentchat.domain.run;

import dev.agentchat.domain.chat.Interruption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a run may take, and how long its model may stay silent within a call: which limit a run
 * has passed, if any, is decided here; the shell only measures the time.
 */
public record RunLimits(Duration maxRunDuration, Duration modelIdleTimeout) {

    public RunLimits {
        Objects.requireNonNull(maxRunDuration, "maxRunDuration");
        Objects.requireNonNull(modelIdleTimeout, "modelIdleTimeout");
    }

    /**
     * The interruption due to a run that has been going for {@code running} and whose model has sent
     * nothing for {@code modelQuiet} (empty while no model call waits); empty while it is within both.
     * The run's own limit comes first: it ends the run incomplete, keeping an answer that is usable.
     */
    public Optional<Interruption> passedBy(Duration running, Optional<Duration> modelQuiet) {
        if (running.compareTo(maxRunDuration) >= 0) {
            return Optional.of(Interruption.runTimedOut(maxRunDuration));
        }
        if (modelQuiet.isPresent() && modelQuiet.get().compareTo(modelIdleTimeout) >= 0) {
            return Optional.of(Interruption.modelTimedOut(modelIdleTimeout));
        }
        return Optional.empty();
    }
}
