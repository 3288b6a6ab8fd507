package dev.agentchat.adapter.http.observe;

import io.helidon.webserver.http.Handler;
import java.util.Optional;

/**
 * The template of the route that took a request ({@code /api/agents/{agentId}/chat}), for its span, its metrics and
 * its access log line: bounded, unlike its path, and free of the ids and query a path carries. Helidon 4.2 does not
 * tell which path pattern matched a request, so every route is registered {@link #naming} itself: its handler
 * writes the template here before it answers.
 *
 * <p>Helidon runs a request's filters and then its route's handler on one thread, the connection's, so the request
 * being watched is found through that thread, not the request's context: Helidon makes a request's context only
 * when it is first asked for, and a service that watches nothing should not pay for one per request.
 */
public final class MatchedRoute {
    private static final ThreadLocal<MatchedRoute> WATCHED = new ThreadLocal<>();

    private volatile String template;

    private MatchedRoute() {
    }

    /** {@code handler}, first naming its route {@code template} on the request it takes, if the request is watched. */
    public static Handler naming(String template, Handler handler) {
        return (req, res) -> {
            MatchedRoute watched = WATCHED.get();
            if (watched != null) {
                watched.template = template;
            }
            handler.handle(req, res);
        };
    }

    /** The template of the route that took the request, once one did; empty while none has (or none will). */
    public Optional<String> template() {
        return Optional.ofNullable(template);
    }

    /** Begins waiting, on this thread, for the route that takes the request this thread handles now. */
    static MatchedRoute await() {
        MatchedRoute route = new MatchedRoute();
        WATCHED.set(route);
        return route;
    }

    /** Stops waiting on this thread: the request's routing has returned. */
    static void release() {
        WATCHED.remove();
    }
}
