package dev.agentchat.adapter.http.auth;

import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.Problems;

/**
 * The refusals of authentication: problems carrying the RFC 6750 {@code WWW-Authenticate} challenge
 * that tells the client what to do next (as a header, which takes the place of the bare {@code Bearer}
 * that {@link Problems#send} gives any 401).
 */
final class Challenges {
    private static final String CHALLENGE = "WWW-Authenticate";

    private Challenges() {
    }

    /** No credential was sent: {@link Problems#send} gives a 401 the bare {@code Bearer} challenge. */
    static Problem unauthorized() {
        return new Problem(401, "unauthorized", "Authentication required",
                "Send 'Authorization: Bearer <token or API key>'.");
    }

    /** A credential was sent and refused; the client learns nothing of why (the log does). */
    static Problem invalidToken() {
        return new Problem(401, "invalid_token", "Invalid credential", "The credential was not accepted.")
                .withHeader(CHALLENGE, "Bearer error=\"invalid_token\"");
    }

    static Problem tokenInQuery() {
        return new Problem(401, "invalid_token", "Invalid credential",
                "A credential is taken only from the Authorization header, never from the URL.")
                .withHeader(CHALLENGE, "Bearer error=\"invalid_request\"");
    }

    static Problem insufficientScope(String scope) {
        return new Problem(403, "insufficient_scope", "Insufficient scope", "The token does not grant the scope " + scope + ".")
                .withHeader(CHALLENGE, "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"");
    }
}
