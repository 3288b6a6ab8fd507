package dev.agentchat.domain.run;

import dev.agentchat.domain.refusal.TooManyActiveRuns;
import java.time.Duration;
import java.util.Objects;

/**
 * How many runs one user may have in progress at once, so that one user (or one runaway script)
 * cannot take every model call an instance can make.
 *
 * @param max        the most runs one user may have in progress at once
 * @param retryAfter what a refused caller is told to wait before it tries again: a run takes seconds
 *                   to minutes, so a few seconds spares the service a busy loop without making a
 *                   caller wait long after a run has ended
 */
public record ActiveRunLimit(int max, Duration retryAfter) {
    public static final int DEFAULT_MAX = 4;
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    public ActiveRunLimit {
        if (max < 1) {
            throw new IllegalArgumentException("a user needs to be allowed at least one run, was " + max);
        }
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("retryAfter must be positive, was " + retryAfter);
        }
    }

    public static ActiveRunLimit of(int max) {
        return new ActiveRunLimit(max, DEFAULT_RETRY_AFTER);
    }

    /** Admits one more run for a user who has {@code active} in progress, or refuses it with {@link TooManyActiveRuns}. */
    public int admit(int active) {
        if (active < 0) {
            throw new IllegalArgumentException("a count of runs cannot be negative, was " + active);
        }
        if (active >= max) {
            throw new TooManyActiveRuns(max, retryAfter);
        }
        return active + 1;
    }
}
