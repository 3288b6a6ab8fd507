package dev.agentchat.ports.chat;

import java.util.Objects;

/**
 * The model could not answer. Model adapters translate their client's errors into this at their
 * edge, with a stable code ({@code model_unavailable}, {@code rate_limited}, {@code model_error}, ...)
 * that ends up in the run's failure and the client's {@code error} event.
 */
public final class ModelFailure extends RuntimeException {
    private final String code;

    public ModelFailure(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ModelFailure(String code, String message) {
        this(code, message, null);
    }

    public String code() {
        return code;
    }
}
