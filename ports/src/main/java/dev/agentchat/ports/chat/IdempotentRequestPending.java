package dev.agentchat.ports.chat;

/** The first request with this {@code Idempotency-Key} is still being set up: its run does not exist yet. */
public final class IdempotentRequestPending extends RuntimeException {
    public IdempotentRequestPending() {
        super("A request with this Idempotency-Key is still being set up; retry in a moment.");
    }
}
