package dev.agentchat.ports.chat;

import java.util.Objects;

/**
 * The model could not answer. Model adapters translate their client's errors into this at their
 * edge, with a stable code ({@code model_unavailable}, {@code rate_limited}, {@code model_error}, ...)
 * and a plain sentence that end up in the run's failure and the client's {@code error} event. What
 * only operators should read (the service's address, its own words, the exception that broke the
 * call) goes in the detail, which the service logs with the run's id and never sends to a client.
 */
public final class ModelFailure extends RuntimeException {
    private final String code;
    private final String detail;

    /**
     * @param code    the stable code
     * @param message a sentence for clients: no address, no exception name, nothing the service said
     * @param detail  what happened, for the log
     * @param cause   the error that made the call fail, if any
     */
    public ModelFailure(String code, String message, String detail, Throwable cause) {
        // A message may be missing (a model that fails without saying why): the run's failure gets a general one.
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.detail = detail;
    }

    /** A failure whose message says all there is to say. */
    public ModelFailure(String code, String message, Throwable cause) {
        this(code, message, message, cause);
    }

    public ModelFailure(String code, String message) {
        this(code, message, message, null);
    }

    public String code() {
        return code;
    }

    /** What happened, for operators: may name hosts, quote the model service and name exceptions. */
    public String detail() {
        return detail != null ? detail : String.valueOf(getMessage());
    }
}
