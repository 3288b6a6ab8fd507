package dev.agentchat.domain.refusal;

/** An {@code Idempotency-Key} came back with a different request than the one it was first sent with. */
public final class IdempotencyKeyReused extends Refusal {
    public IdempotencyKeyReused() {
        super(Kind.UNPROCESSABLE, "This Idempotency-Key was sent before with a different request; use a new key for a new request.");
    }
}
