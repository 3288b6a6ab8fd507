package dev.agentchat.domain.refusal;

/** The first request with this {@code Idempotency-Key} is still being set up: its run does not exist yet. */
public final class IdempotentRequestPending extends Refusal {
    public IdempotentRequestPending() {
        super(Kind.CONFLICT, "A request with this Idempotency-Key is still being set up; retry in a moment.");
    }
}
