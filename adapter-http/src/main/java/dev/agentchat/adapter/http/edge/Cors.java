package dev.agentchat.adapter.http.edge;

import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.Problems;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-origin calls to {@code /api/**} from the web applications of the configured origins
 * ({@code CORS_ALLOWED_ORIGINS}; none: same origin only), and to {@code /auth/config}, which such an application
 * reads first to learn how its users sign in. A preflight is answered here, before
 * authentication (a browser sends no credential with it) and outside the route table: like HEAD it is
 * transport, not an operation of the API. An origin not allowed gets no CORS header at all, and its
 * preflight a 403. No credentials mode: the API takes bearer credentials, never cookies.
 */
public final class Cors implements Filter {
    static final HeaderName ALLOW_ORIGIN = HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN;
    static final String ALLOWED_METHODS = "GET, POST, PUT, DELETE";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID, If-Match, Accept";
    static final String EXPOSED_HEADERS = "X-Run-Id, X-Thread-Id, ETag, Location, Retry-After, WWW-Authenticate";
    /** How long a browser may reuse a preflight's answer. */
    static final String MAX_AGE_SECONDS = "600";

    private final Set<String> allowedOrigins;

    public Cors(List<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!(path.equals("/api") || path.startsWith("/api/") || path.equals("/auth/config"))) {
            chain.proceed();
            return;
        }
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        boolean preflight = req.prologue().method() == Method.OPTIONS && origin.isPresent()
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        // Caches must keep answers to different origins apart, allowed or not.
        res.header(HeaderNames.VARY, "Origin");
        boolean allowed = origin.filter(allowedOrigins::contains).isPresent();
        if (preflight) {
            if (!allowed) {
                Problems.send(res, new Problem(403, "cors_origin_not_allowed", "Origin not allowed",
                        "This origin may not call the API from a browser."));
                return;
            }
            res.header(ALLOW_ORIGIN, origin.get());
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
            res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
            res.status(204).send();
            return;
        }
        if (allowed) {
            res.header(ALLOW_ORIGIN, origin.get());
            res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        }
        chain.proceed();
    }
}
