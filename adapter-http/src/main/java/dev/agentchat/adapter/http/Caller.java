package dev.agentchat.adapter.http;

import dev.agentchat.domain.thread.UserId;
import io.helidon.webserver.http.ServerRequest;

/** Decides which user a request acts for. Until authentication arrives, everyone is the anonymous user. */
@FunctionalInterface
public interface Caller {
    Caller ANONYMOUS = request -> UserId.ANONYMOUS;

    UserId identify(ServerRequest request);
}
