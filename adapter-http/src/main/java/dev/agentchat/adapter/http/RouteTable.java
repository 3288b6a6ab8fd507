package dev.agentchat.adapter.http;

import dev.agentchat.adapter.http.observe.MatchedRoute;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The API's routes as they are handed to Helidon, so that the OpenAPI document can be held against
 * them. Helidon 4.2's routing cannot list its routes (a route only answers whether it accepts a
 * request), so the rules the services register on are wrapped: each route is written down with the
 * full path pattern its service's prefix gives it, then passed on. A route added in a form that names
 * no method and path pattern is refused, so none escapes the table. The same pattern names the route on each
 * request it takes ({@link MatchedRoute}), for the request's span, metrics and access log line.
 */
public final class RouteTable {
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /** One registered route; {@code method} is empty for a route that takes any method (the 405 answers). */
    public record Route(String method, String path) {
        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
        }

        public boolean anyMethod() {
            return method.isEmpty();
        }
    }

    /** Rules that write down each route added through them (or through the services registered on them). */
    public HttpRules record(HttpRules rules) {
        return new Recording(rules, "");
    }

    /** Every route registered so far, in the order registered. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    private static String join(String prefix, String pattern) {
        String joined = (prefix + "/" + pattern).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    private final class Recording implements HttpRules {
        private final HttpRules rules;
        private final String prefix;

        private Recording(HttpRules rules, String prefix) {
            this.rules = rules;
            this.prefix = prefix;
        }

        @Override
        public HttpRules register(HttpService... services) {
            rules.register(recorded(prefix, services));
            return this;
        }

        @Override
        public HttpRules register(String pathPattern, HttpService... services) {
            rules.register(pathPattern, recorded(join(prefix, pathPattern), services));
            return this;
        }

        @Override
        public HttpRules route(Method method, String pathPattern, Handler handler) {
            String template = join(prefix, pathPattern);
            routes.add(new Route(method.text(), template));
            rules.route(method, pathPattern, MatchedRoute.naming(template, handler));
            return this;
        }

        @Override
        public HttpRules any(String pathPattern, Handler... handlers) {
            String template = join(prefix, pathPattern);
            routes.add(new Route("", template));
            rules.any(pathPattern, Arrays.stream(handlers).map(handler -> MatchedRoute.naming(template, handler))
                    .toArray(Handler[]::new));
            return this;
        }

        @Override
        public HttpRules route(HttpRoute route) {
            throw new UnsupportedOperationException(
                    "Add routes by method and path pattern (get, post, any, ...) so that the route table lists them");
        }

        private HttpService[] recorded(String at, HttpService... services) {
            return Arrays.stream(services)
                    .map(service -> (HttpService) inner -> service.routing(new Recording(inner, at)))
                    .toArray(HttpService[]::new);
        }
    }
}
