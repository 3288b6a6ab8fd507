package dev.agentchat.adapter.http.observe;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * The template of the route that took a request ({@code /api/agents/{agentId}/chat}), for its span, its metrics and
 * its access log line: bounded, unlike its path, and free of the ids and query a path carries. Helidon 4.2 does not
 * tell which path pattern matched a request, so every route is registered {@link #naming} itself: its handler
 * writes the template here, in the request's context, before it answers.
 */
public final class MatchedRoute {
    private volatile String template;

    MatchedRoute() {
    }

    /** {@code handler}, first naming its route {@code template} on the request it takes, if the request is watched. */
    public static Handler naming(String template, Handler handler) {
        return (req, res) -> {
            of(req).ifPresent(route -> route.template = template);
            handler.handle(req, res);
        };
    }

    /** The template of the route that took the request, once one did; empty while none has (or none will). */
    public Optional<String> template() {
        return Optional.ofNullable(template);
    }

    static Optional<MatchedRoute> of(ServerRequest req) {
        return req.context().get(MatchedRoute.class, MatchedRoute.class);
    }

    static MatchedRoute on(ServerRequest req) {
        MatchedRoute route = new MatchedRoute();
        req.context().register(MatchedRoute.class, route);
        return route;
    }
}
