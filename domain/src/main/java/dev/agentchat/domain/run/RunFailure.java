package dev.agentchat.domain.run;

import dev.agentchat.domain.Require;

/**
 * Why a run did not complete.
 *
 * @param code    a stable, machine-readable snake_case code, such as {@code model_error}
 * @param message a sentence for people
 */
public record RunFailure(String code, String message) {
    public RunFailure {
        Require.nonBlank(code, "code");
        Require.nonBlank(message, "message");
        Require.maxLength(message, 4_000, "message");
    }
}
