package dev.agentchat.adapter.http.edge;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * HTTP/1.1 as Helidon speaks it, with the guards it lacks: a read timeout on requests, a checked
 * request line and framing ({@link RequestChecks}), and 431 for oversized headers. It is the only
 * protocol the server speaks, so that every connection goes through it from its first byte.
 *
 * <p>HTTP/1.0 requests, which Helidon 4.2 refuses with a 505 (health checks of load balancers send them),
 * are served as RFC 9112 allows: read as HTTP/1.1 ones, with a {@code Host} when they have none, and
 * answered with a length, in a response whose status line says HTTP/1.1 (RFC 9110 section 6.2), on a
 * connection closed after it unless the client asked to keep it ({@code Connection: keep-alive}).
 * An event stream has no length known beforehand and Helidon frames it in chunks, which a 1.0 client
 * cannot read: the routes that answer one refuse HTTP/1.0 ({@link #requestIsHttp10()}).
 */
public final class GuardedHttp1 implements ServerConnectionSelector {
    /** The most a request's headers may take; Helidon's own limit is set above it so that ours answers (431). */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    private final Http1ConnectionSelector http1;
    private final ReadTimeouts timeouts;

    @SuppressWarnings("removal") // the Host check Helidon does first would refuse an HTTP/1.0 request without one
    private GuardedHttp1(Duration readTimeout) {
        Http1Config config = Http1Config.builder()
                .maxHeadersSize(2 * MAX_HEADER_BYTES)
                .validateRequestHostHeader(false)
                .addReceiveListener(new RequestChecks())
                .build();
        this.http1 = Http1ConnectionSelector.builder().config(config).build();
        this.timeouts = new ReadTimeouts(readTimeout);
    }

    /**
     * Makes a server speak guarded HTTP/1.1 only, with at most {@code maxConnections} connections at
     * once: the ones beyond wait to be accepted (in the system's backlog) until one ends.
     */
    public static WebServerConfig.Builder applyTo(WebServerConfig.Builder server, Duration readTimeout, int maxConnections) {
        return server.protocolsDiscoverServices(false)
                .addConnectionSelector(new GuardedHttp1(readTimeout))
                .maxTcpConnections(maxConnections);
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData data) {
        return http1.supports(data);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        WatchedConnection watched = new WatchedConnection(ctx, MAX_HEADER_BYTES);
        timeouts.add(watched);
        watched.serving();
        return new Watched(http1.connection(watched), () -> {
            timeouts.remove(watched);
            watched.served();
        });
    }

    /**
     * Closes the current request's connection once it is answered, dropping whatever the client sent
     * after it: for a request whose body could not be read, where the next request would start is unknown.
     */
    public static void endConnectionAfterThisRequest() {
        WatchedConnection.current().ifPresent(WatchedConnection::endAfterThisRequest);
    }

    /**
     * Whether the current request was sent as HTTP/1.0 (Helidon's prologue says HTTP/1.1 for it: it
     * would not serve it otherwise).
     */
    public static boolean requestIsHttp10() {
        return WatchedConnection.current().map(WatchedConnection::http10).orElse(false);
    }

    /**
     * A filter that honours a client's {@code Connection: close}: its connection is closed once the answer
     * is out, as HTTP/1.1 asks of a server (RFC 9112, 9.6). Helidon says {@code close} in the answer but
     * then waits for a next request that the client will never send, holding the connection until its
     * idle timeout. Helidon answers a connection's requests on the connection's own thread, which is where
     * the answer is sent and this filter runs. An HTTP/1.0 client's connection closes after each answer
     * unless it asked to keep it (RFC 9112 section 9.3); then Helidon's answer says {@code keep-alive}.
     */
    public static Filter closingWhenAsked() {
        return (chain, req, res) -> {
            boolean closing = req.headers().contains(HeaderValues.CONNECTION_CLOSE)
                    || requestIsHttp10() && !asksToKeepAlive(req.headers());
            if (closing) {
                res.header(HeaderValues.CONNECTION_CLOSE);
                WatchedConnection.current().ifPresent(connection -> res.whenSent(connection::endAfterThisRequest));
            }
            chain.proceed();
        };
    }

    /** Whether the request's {@code Connection} names {@code keep-alive}, in any case, as 1.0 clients write it. */
    private static boolean asksToKeepAlive(Headers headers) {
        return headers.all(HeaderNames.CONNECTION, List::of).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .anyMatch(option -> option.strip().equalsIgnoreCase("keep-alive"));
    }

    /**
     * The current request has been read whole and its answer will take a while (an event stream): the
     * connection's guard lets go of the request's bytes meanwhile.
     */
    public static void requestReadWhole() {
        WatchedConnection.current().ifPresent(WatchedConnection::requestRead);
    }

    /** Helidon's connection, which stops being watched when it ends. */
    private record Watched(ServerConnection connection, Runnable ended) implements ServerConnection, InterruptableTask<Void> {
        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                connection.handle(limit);
            } finally {
                ended.run();
            }
        }

        @Override
        @SuppressWarnings("removal")
        public void handle(java.util.concurrent.Semaphore requests) throws InterruptedException {
            try {
                connection.handle(requests);
            } finally {
                ended.run();
            }
        }

        @Override
        public Duration idleTime() {
            return connection.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            connection.close(interrupt);
        }

        @Override
        public boolean canInterrupt() {
            return connection instanceof InterruptableTask<?> task && task.canInterrupt();
        }
    }
}
