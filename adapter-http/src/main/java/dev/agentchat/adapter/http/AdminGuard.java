package dev.agentchat.adapter.http;

import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Decides whether a request may change what only administrators change (the agents). With
 * authentication on, the caller's admin role decides ({@code auth.Authentication#adminGuard()});
 * off, the single key {@code ADMIN_API_KEY}, sent as {@code Authorization: Bearer <key>}.
 */
@FunctionalInterface
public interface AdminGuard {

    /** @throws ProblemException 401 without credentials, 403 with wrong ones or when writes are disabled */
    void requireAdmin(ServerRequest request);

    /** The guard for {@code ADMIN_API_KEY}; without a key configured, every write is refused. */
    static AdminGuard bearerKey(Optional<String> configuredKey) {
        return request -> {
            if (configuredKey.isEmpty()) {
                throw new ProblemException(new Problem(403, "admin_disabled", "Agent changes are disabled",
                        "Set ADMIN_API_KEY on the service to allow changing agents."));
            }
            Optional<String> sent = request.headers().first(HeaderNames.AUTHORIZATION)
                    .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7)).map(value -> value.substring(7).strip())
                    .filter(token -> !token.isEmpty());
            if (sent.isEmpty()) {
                throw new ProblemException(new Problem(401, "unauthorized", "Authentication required",
                        "Send 'Authorization: Bearer <ADMIN_API_KEY>' to change agents."));
            }
            // Constant time: the comparison must not tell how much of a guessed key was right.
            if (!MessageDigest.isEqual(sent.get().getBytes(StandardCharsets.UTF_8),
                    configuredKey.get().getBytes(StandardCharsets.UTF_8))) {
                throw new ProblemException(new Problem(403, "forbidden", "Forbidden", "The key is not the administrator key."));
            }
        };
    }
}
