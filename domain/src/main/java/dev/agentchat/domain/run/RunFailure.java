package dev.agentchat.domain.run;

import dev.agentchat.domain.Require;

/**
 * Why a run did not complete.
 *
 * @param code    a stable, machine-readable snake_case code, such as {@code model_error}
 * @param message a sentence for people
 */
public record RunFailure(String code, String message) {
    public static final int MAX_MESSAGE_LENGTH = 4_000;

    public static final RunFailure CLIENT_DISCONNECTED = new RunFailure("client_disconnected",
            "The client disconnected before the answer was finished.");
    /** The store's own words stay in the log: they can name hosts, keys or internals. */
    public static final RunFailure STORE_ERROR = new RunFailure("store_error",
            "The conversation could not be stored. Try again shortly.");
    public static final RunFailure CANCELLED = new RunFailure("cancelled", "The run was cancelled.");
    /** A run found unfinished long after any live instance would have ended it. */
    public static final RunFailure ABANDONED = new RunFailure("run_abandoned",
            "The service stopped while running this run, so it was ended without a complete answer.");
    public static final RunFailure SERVICE_STOPPING = new RunFailure("service_stopping",
            "The service stopped while answering. Send the message again.");
    /** A run waiting for approval whose agent is gone from the catalog: nothing can go on with it. */
    public static final RunFailure AGENT_NOT_FOUND = new RunFailure("agent_not_found",
            "The run's agent no longer exists, so the run could not go on after waiting for approval.");
    public static final RunFailure INTERNAL_ERROR = new RunFailure("internal_error",
            "The service failed while answering.");

    /** The run reached its longest allowed duration. */
    public static RunFailure runTimeout(java.time.Duration limit) {
        return new RunFailure("run_timeout", "The run reached its time limit of " + limit.toSeconds() + " seconds.");
    }

    /** The model sent nothing for too long within one call. */
    public static RunFailure modelTimeout(java.time.Duration limit) {
        return new RunFailure("model_timeout", "The model sent nothing for " + limit.toSeconds() + " seconds.");
    }

    public RunFailure {
        Require.nonBlank(code, "code");
        Require.nonBlank(message, "message");
        Require.maxLength(message, MAX_MESSAGE_LENGTH, "message");
    }

    /**
     * A failure as a model service reported it. Whatever the service sent, the result is a valid
     * failure: a missing code or message gets a general one, and an overlong message is cut.
     */
    public static RunFailure fromModel(String code, String message) {
        String safeCode = code == null || code.isBlank() ? "model_error" : code;
        String safeMessage = message == null || message.isBlank() ? "The model failed without saying why." : message;
        if (safeMessage.length() > MAX_MESSAGE_LENGTH) {
            safeMessage = safeMessage.substring(0, MAX_MESSAGE_LENGTH - 1) + "\u2026";
        }
        return new RunFailure(safeCode, safeMessage);
    }
}
