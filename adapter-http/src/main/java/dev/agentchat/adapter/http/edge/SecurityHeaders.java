package dev.agentchat.adapter.http.edge;

import dev.agentchat.adapter.http.web.WebUi;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Optional;

/**
 * Headers that keep a browser from doing more with an answer than it is for, on every routed answer
 * (those Helidon sends before routing, for a request it cannot read, carry none and no content to misuse).
 * The API's answers (JSON, problems, event streams), the OpenAPI document and any path nothing serves may load
 * nothing and be framed nowhere. The web UI's page and assets may load only what the service itself serves, with
 * no inline script or style at all, and reach the sign-in pages (MSAL's calls to the token endpoint, and its hidden
 * frame that renews tokens) and nothing else. Swagger UI's page at {@code /docs} needs inline scripts and styles,
 * hence {@code 'unsafe-inline'} there and only there.
 */
public final class SecurityHeaders implements Filter {
    static final HeaderName CONTENT_TYPE_OPTIONS = HeaderNames.create("X-Content-Type-Options");
    static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    static final HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");
    /** For data: nothing to load, no framing. */
    public static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";
    /** For Swagger UI's page: only what this service serves, inline scripts and styles included. */
    public static final String PAGE_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    private final String uiPolicy;

    /** With the UI's pages allowed to reach the sign-in pages at {@code signInOrigin} ({@code scheme://host[:port]}). */
    public SecurityHeaders(Optional<String> signInOrigin) {
        this.uiPolicy = uiPolicy(signInOrigin);
    }

    /** For the web UI: its own files only, nothing inline, and the sign-in pages, if a browser signs in. */
    public static String uiPolicy(Optional<String> signInOrigin) {
        signInOrigin.ifPresent(origin -> {
            // Written into a header: an origin is all it may hold.
            if (!origin.matches("https?://[A-Za-z0-9.\\[\\]:-]+")) {
                throw new IllegalArgumentException("'" + origin + "' is no origin (scheme://host[:port])");
            }
        });
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self'" + signInOrigin.map(origin -> " " + origin).orElse("") + "; "
                + "frame-src " + signInOrigin.orElse("'none'") + "; "
                + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(CONTENT_TYPE_OPTIONS, "nosniff");
        // No part of a URL here (thread and run ids) is any other site's business.
        res.header(REFERRER_POLICY, "no-referrer");
        res.header(CONTENT_SECURITY_POLICY, policyFor(req.path().path()));
        chain.proceed();
    }

    private String policyFor(String path) {
        if (WebUi.servesPath(path)) {
            return uiPolicy;
        }
        return path.equals("/docs") || path.startsWith("/docs/") ? PAGE_POLICY : DATA_POLICY;
    }
}
