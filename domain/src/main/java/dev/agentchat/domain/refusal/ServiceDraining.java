package dev.agentchat.domain.refusal;

import java.time.Duration;

/**
 * This instance is stopping: it lets the runs it has finish but starts and resumes none, so the same
 * request, sent again, succeeds on another instance (a load balancer retries it there at once) or on
 * this one once it is back.
 */
public final class ServiceDraining extends Refusal {
    /** Soon: by then a balancer has taken the instance out of rotation, or a restarted one listens. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    public ServiceDraining() {
        super(Kind.UNAVAILABLE, "This instance of the service is stopping and starts no new run; send the request again.");
    }

    /** How long the caller had better wait before it sends the request again. */
    public Duration retryAfter() {
        return RETRY_AFTER;
    }
}
