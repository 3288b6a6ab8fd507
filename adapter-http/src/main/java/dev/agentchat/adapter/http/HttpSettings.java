package dev.agentchat.adapter.http;

import dev.agentchat.adapter.http.web.BrowserSignIn;
import dev.agentchat.adapter.http.web.WebUi;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the HTTP API behaves.
 *
 * @param heartbeatInterval how long a vanished or stalled client can keep a run going; a stream gets a heartbeat after half of it in silence
 * @param maxBodyBytes      the largest request body accepted
 * @param readTimeout       the longest a read from a client may wait: for the rest of a request, or for the next one
 *                          on an idle connection; a response, however long it streams, is never cut by it
 * @param maxConnections    the most client connections served at once; more wait to be accepted
 * @param corsAllowedOrigins the origins ({@code https://app.example.com}) whose web pages may call the API; none:
 *                          the same origin only
 * @param webUiFolder       the class path folder the web UI is served from; without an {@code index.html} there,
 *                          no UI is served
 * @param browserSignIn     how a browser signs in, as {@code /auth/config} tells it; empty: as the authentication
 *                          says, no sign-in when it is off, an API key when it is on
 * @param accessLog         whether every request answered gets a line in the access log ({@code dev.agentchat.access})
 */
public record HttpSettings(Duration heartbeatInterval, int maxBodyBytes, Duration readTimeout, int maxConnections,
                           List<String> corsAllowedOrigins, String webUiFolder, Optional<BrowserSignIn> browserSignIn,
                           boolean accessLog) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 20_000;

    public HttpSettings {
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("the heartbeat interval must be positive");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("the body limit must be at least 1024 bytes");
        }
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("the read timeout must be positive");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("at least one connection must be allowed");
        }
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        for (String origin : corsAllowedOrigins) {
            // An origin is compared as a browser sends it: scheme, host and port, no path, no trailing slash.
            if (!origin.matches("https?://[^/\\s]+")) {
                throw new IllegalArgumentException("'" + origin + "' is no origin (scheme://host[:port])");
            }
        }
        Objects.requireNonNull(webUiFolder, "webUiFolder");
        Objects.requireNonNull(browserSignIn, "browserSignIn");
    }

    /** With the access log on. */
    public HttpSettings(Duration heartbeatInterval, int maxBodyBytes, Duration readTimeout, int maxConnections,
                        List<String> corsAllowedOrigins, String webUiFolder, Optional<BrowserSignIn> browserSignIn) {
        this(heartbeatInterval, maxBodyBytes, readTimeout, maxConnections, corsAllowedOrigins, webUiFolder, browserSignIn,
                true);
    }

    public HttpSettings(Duration heartbeatInterval, int maxBodyBytes, Duration readTimeout, int maxConnections,
                        List<String> corsAllowedOrigins) {
        this(heartbeatInterval, maxBodyBytes, readTimeout, maxConnections, corsAllowedOrigins, WebUi.DEFAULT_FOLDER,
                Optional.empty());
    }

    public HttpSettings(Duration heartbeatInterval, int maxBodyBytes, Duration readTimeout, int maxConnections) {
        this(heartbeatInterval, maxBodyBytes, readTimeout, maxConnections, List.of());
    }

    public HttpSettings(Duration heartbeatInterval, int maxBodyBytes) {
        this(heartbeatInterval, maxBodyBytes, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
    }

    /** These settings with the web UI served from another class path folder. */
    public HttpSettings withWebUiFolder(String folder) {
        return new HttpSettings(heartbeatInterval, maxBodyBytes, readTimeout, maxConnections, corsAllowedOrigins, folder,
                browserSignIn, accessLog);
    }

    /** These settings with browsers told to sign in this way. */
    public HttpSettings withBrowserSignIn(BrowserSignIn signIn) {
        return new HttpSettings(heartbeatInterval, maxBodyBytes, readTimeout, maxConnections, corsAllowedOrigins,
                webUiFolder, Optional.of(signIn), accessLog);
    }

    /** These settings with the access log on or off. */
    public HttpSettings withAccessLog(boolean on) {
        return new HttpSettings(heartbeatInterval, maxBodyBytes, readTimeout, maxConnections, corsAllowedOrigins,
                webUiFolder, browserSignIn, on);
    }

    public static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_HEARTBEAT, DEFAULT_MAX_BODY_BYTES);
    }
}
