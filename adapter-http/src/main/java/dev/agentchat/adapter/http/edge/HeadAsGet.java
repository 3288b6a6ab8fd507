package dev.agentchat.adapter.http.edge;

import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Arrays;

/**
 * HEAD answered as GET would be, without the body (RFC 9110 section 9.3.2): every route that takes
 * GET takes HEAD too, and whatever answers a HEAD request (a route, an error handler) writes through
 * a {@link HeadResponse}, which sends the status and headers, with the length the body would have had.
 * Helidon 4.2 routes HEAD only where it is named, and would send a body after a HEAD's headers.
 */
public final class HeadAsGet {
    private HeadAsGet() {
    }

    /** Routing rules whose GET routes also take HEAD. */
    public static HttpRules rules(HttpRules rules) {
        return new Rules(rules);
    }

    /** A handler that answers HEAD requests without a body. */
    public static Handler handler(Handler handler) {
        return (req, res) -> handler.handle(req, isHead(req) ? new HeadResponse(res) : res);
    }

    /** An error handler that answers HEAD requests without a body. */
    public static <T extends Throwable> ErrorHandler<T> errors(ErrorHandler<T> handler) {
        return (req, res, e) -> handler.handle(req, isHead(req) ? new HeadResponse(res) : res, e);
    }

    static boolean isHead(ServerRequest req) {
        return req.prologue().method() == Method.HEAD;
    }

    private static HttpService service(HttpService service) {
        return rules -> service.routing(new Rules(rules));
    }

    private record Rules(HttpRules rules) implements HttpRules {
        @Override
        public HttpRules register(HttpService... services) {
            rules.register(Arrays.stream(services).map(HeadAsGet::service).toArray(HttpService[]::new));
            return this;
        }

        @Override
        public HttpRules register(String pathPattern, HttpService... services) {
            rules.register(pathPattern, Arrays.stream(services).map(HeadAsGet::service).toArray(HttpService[]::new));
            return this;
        }

        @Override
        public HttpRules route(HttpRoute route) {
            rules.route(new HeadRoute(route, handler(route.handler())));
            return this;
        }
    }

    /** A route that takes HEAD wherever it takes GET. */
    private record HeadRoute(HttpRoute route, Handler handler) implements HttpRoute {
        @Override
        public PathMatchers.MatchResult accepts(HttpPrologue prologue) {
            PathMatchers.MatchResult match = route.accepts(prologue);
            if (match.accepted() || prologue.method() != Method.HEAD) {
                return match;
            }
            return route.accepts(HttpPrologue.create(prologue.rawProtocol(), prologue.protocol(),
                    prologue.protocolVersion(), Method.GET, prologue.uriPath(), prologue.query(), prologue.fragment()));
        }
    }
}
