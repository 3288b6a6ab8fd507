package dev.agentchat.ports.store;

/**
 * A store could not do what was asked (unreachable, throttled past its retries, refused). Store
 * adapters translate their technology's errors into this at their edge.
 */
public final class StoreFailure extends RuntimeException {
    public StoreFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreFailure(String message) {
        super(message);
    }
}
