package dev.agentchat.ports.chat;

/** An {@code Idempotency-Key} came back with a different request than the one it was first sent with. */
public final class IdempotencyKeyReused extends RuntimeException {
    public IdempotencyKeyReused() {
        super("This Idempotency-Key was sent before with a different request; use a new key for a new request.");
    }
}
