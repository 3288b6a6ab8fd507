package dev.agentchat.adapter.http.edge;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Headers that keep a browser from doing more with an answer than it is for, on every routed answer
 * (those Helidon sends before routing, for a request it cannot read, carry none and no content to misuse).
 * The API's answers (JSON, problems, event streams) and the OpenAPI document may load nothing and be framed
 * nowhere; the documentation UI and any other page may load only what the service itself serves. Swagger
 * UI's page needs inline scripts and styles, hence {@code 'unsafe-inline'} there and only there.
 */
public final class SecurityHeaders implements Filter {
    static final HeaderName CONTENT_TYPE_OPTIONS = HeaderNames.create("X-Content-Type-Options");
    static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    static final HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");
    /** For data: nothing to load, no framing. */
    public static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";
    /** For pages: only what this service serves. */
    public static final String PAGE_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(CONTENT_TYPE_OPTIONS, "nosniff");
        // No part of a URL here (thread and run ids) is any other site's business.
        res.header(REFERRER_POLICY, "no-referrer");
        res.header(CONTENT_SECURITY_POLICY, isData(req.path().path()) ? DATA_POLICY : PAGE_POLICY);
        chain.proceed();
    }

    private static boolean isData(String path) {
        return path.equals("/api") || path.startsWith("/api/") || path.equals("/health") || path.startsWith("/openapi");
    }
}
