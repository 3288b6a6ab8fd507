package dev.agentchat.domain.refusal;

import java.time.Duration;
import java.util.Objects;

/**
 * The user has as many runs in progress as one user may have at once: the chat is refused before
 * anything is stored, and the same request may succeed once one of those runs ends.
 */
public final class TooManyActiveRuns extends Refusal {
    private final int limit;
    private final Duration retryAfter;

    /**
     * @param limit      how many runs one user may have in progress at once
     * @param retryAfter how long the caller had better wait before it tries again
     */
    public TooManyActiveRuns(int limit, Duration retryAfter) {
        super(Kind.LIMITED, "You have " + limit + " runs in progress, the most one user may have at once;"
                + " try again when one of them ends.");
        this.limit = limit;
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public int limit() {
        return limit;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
