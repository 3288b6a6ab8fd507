package dev.agentchat.adapter.http.auth;

import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.Problems;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The refusals of authentication, and how they are sent: as problems, with the RFC 6750
 * {@code WWW-Authenticate} challenge that tells the client what to do next.
 */
final class Challenges {
    /** The extension member that carries the challenge to {@link #send}; it is not written into the body. */
    private static final String CHALLENGE = "challenge";

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
                .with(CHALLENGE, "Bearer error=\"invalid_token\"");
    }

    static Problem tokenInQuery() {
        return new Problem(401, "invalid_token", "Invalid credential",
                "A credential is taken only from the Authorization header, never from the URL.")
                .with(CHALLENGE, "Bearer error=\"invalid_request\"");
    }

    static Problem insufficientScope(String scope) {
        return new Problem(403, "insufficient_scope", "Insufficient scope", "The token does not grant the scope " + scope + ".")
                .with(CHALLENGE, "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"");
    }

    /**
     * Sends the problem with its challenge. Written here rather than by {@link Problems#send}, which gives
     * every 401 a bare {@code Bearer} challenge and would overwrite this one.
     */
    static void send(ServerResponse res, Problem problem) {
        Object challenge = problem.extensions().get(CHALLENGE);
        if (challenge == null) {
            Problems.send(res, problem);
            return;
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.type());
        members.put("title", problem.title());
        members.put("status", problem.status());
        members.put("detail", problem.detail());
        members.put("code", problem.code());
        res.status(problem.status());
        res.header(HeaderNames.WWW_AUTHENTICATE, challenge.toString());
        res.header(HeaderNames.CONTENT_TYPE, Problems.MEDIA_TYPE);
        res.send(Json.encode(members).getBytes(StandardCharsets.UTF_8));
    }
}
