package dev.agentchat.adapter.http;

import dev.agentchat.domain.thread.UserId;
import io.helidon.webserver.http.ServerRequest;

/**
 * Decides which user a request acts for: the one its verified credential names (see
 * {@code auth.Authentication#caller()}, which reads what the authentication filter left on the request),
 * or, with authentication off, the anonymous user.
 */
@FunctionalInterface
public interface Caller {
    Caller ANONYMOUS = request -> UserId.ANONYMOUS;

    UserId identify(ServerRequest request);
}
