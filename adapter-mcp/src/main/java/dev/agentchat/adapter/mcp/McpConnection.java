package dev.agentchat.adapter.mcp;

import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import reactor.core.publisher.Mono;

/**
 * The connection to one MCP server: opened in the background and opened again, with backoff, for as long as it
 * fails; the tools the server lists now; and calls to them.
 */
final class McpConnection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(McpConnection.class.getName());
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofSeconds(60);
    /** How long the handshake and a tool listing may take; a server slower than that is as good as down. */
    private static final Duration HANDSHAKE = Duration.ofSeconds(30);
    /**
     * The SDK fails a request after its request timeout (20 s by default); a tool call is bounded by the caller's
     * tool timeout instead, which interrupts the calling thread, so the SDK's bound is set far past any of those.
     */
    private static final Duration NO_SDK_TIMEOUT = Duration.ofHours(1);

    private final McpServer server;
    private final Clock clock;
    private final Runnable toolsChanged;
    private final Map<Object, ToolProgress> progressByToken = new ConcurrentHashMap<>();
    private final Thread connector;

    private volatile Session session;
    /** Why the server is not reachable; null once it is and its tools are in the catalogue. */
    private volatile String problem = "not connected yet";
    private volatile List<McpSchema.Tool> tools = List.of();
    private volatile boolean closed;

    /** A live session: the SDK's client and the transport under it that can cancel calls. */
    private record Session(McpAsyncClient client, CallTracking transport) {
    }

    private McpConnection(McpServer server, Clock clock, Runnable toolsChanged) {
        this.server = server;
        this.clock = clock;
        this.toolsChanged = toolsChanged;
        this.connector = Thread.ofVirtual().name("mcp-connect-" + server.name()).unstarted(this::connectUntilConnected);
    }

    /** Starts connecting to {@code server} in the background; {@code toolsChanged} runs whenever its tools change. */
    static McpConnection open(McpServer server, Clock clock, Runnable toolsChanged) {
        McpConnection connection = new McpConnection(server, clock, toolsChanged);
        connection.connector.start();
        return connection;
    }

    String name() {
        return server.name();
    }

    /** Why the server cannot be reached now (the last error); empty when it can. */
    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The tools the server lists now; none while it cannot be reached. */
    List<McpSchema.Tool> tools() {
        return session == null ? List.of() : tools;
    }

    private void connectUntilConnected() {
        Duration wait = FIRST_RETRY;
        while (!closed) {
            try {
                session = connect();
                LOG.log(Level.INFO, "MCP server {0}: connected, {1} tools", server.name(), tools.size());
                toolsChanged.run();
                problem = null; // only now: whoever sees the server reachable finds its tools offered
                return;
            } catch (RuntimeException e) {
                problem = reason(e);
                LOG.log(Level.WARNING, "MCP server {0} is not reachable, trying again in {1} s: {2}",
                        server.name(), wait.toSeconds(), problem);
            }
            try {
                clock.sleep(wait);
            } catch (InterruptedException closing) {
                return;
            }
            wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
        }
    }

    private Session connect() {
        CallTracking transport = new CallTracking(transport(server));
        McpAsyncClient client = McpClient.async(transport)
                .clientInfo(new McpSchema.Implementation("agentchat", "1"))
                .initializationTimeout(HANDSHAKE)
                .requestTimeout(NO_SDK_TIMEOUT)
                .toolsChangeConsumer(listed -> Mono.fromRunnable(() -> listed(listed)))
                .progressConsumer(progress -> Mono.fromRunnable(() -> progressed(progress)))
                .build();
        try {
            client.initialize().or(transport.failure()).block(HANDSHAKE);
            McpSchema.ListToolsResult listed = client.listTools().block(HANDSHAKE);
            tools = listed == null ? List.of() : List.copyOf(listed.tools());
            if (closed) {
                throw new IllegalStateException("closed");
            }
            return new Session(client, transport);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static McpClientTransport transport(McpServer server) {
        return switch (server) {
            case McpServer.Stdio stdio -> new StdioClientTransport(
                    ServerParameters.builder(stdio.command()).args(stdio.args()).env(stdio.env()).build(),
                    McpJsonDefaults.getMapper());
            case McpServer.Http http -> {
                URI url = http.url();
                String endpoint = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
                yield HttpClientStreamableHttpTransport.builder(url.getScheme() + "://" + url.getRawAuthority())
                        .endpoint(url.getRawQuery() == null ? endpoint : endpoint + "?" + url.getRawQuery())
                        .httpRequestCustomizer((request, method, uri, body, context) -> http.headers().forEach(request::header))
                        .build();
            }
        };
    }

    /** The server's tools changed ({@code notifications/tools/list_changed}); the SDK has listed them again. */
    private void listed(List<McpSchema.Tool> listed) {
        tools = List.copyOf(listed);
        LOG.log(Level.INFO, "MCP server {0}: its tools changed, {1} now", server.name(), tools.size());
        toolsChanged.run();
    }

    private void progressed(McpSchema.ProgressNotification progress) {
        ToolProgress listener = progressByToken.get(progress.progressToken());
        if (listener != null) {
            listener.report(describe(progress));
        }
    }

    /** "3/10 Downloading", "3/10", "3 Downloading": the counts a server sends, then its message. */
    static String describe(McpSchema.ProgressNotification progress) {
        String count = number(progress.progress()) + (progress.total() == null ? "" : "/" + number(progress.total()));
        String message = progress.message();
        return message == null || message.isBlank() ? count : count + " " + message;
    }

    private static String number(Double value) {
        return value == value.longValue() ? Long.toString(value.longValue()) : value.toString();
    }

    /**
     * Calls {@code tool} and waits for its result. An interrupt (the caller's timeout, a cancelled run) stops the
     * wait at once and tells the server to stop the call.
     */
    ToolOutcome call(String tool, Map<String, Object> arguments, ToolProgress progress) {
        Session live = session;
        if (live == null) {
            return unreachable(Optional.ofNullable(problem).orElse("not connected"));
        }
        String token = UUID.randomUUID().toString();
        progressByToken.put(token, progress);
        McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder()
                .name(tool).arguments(arguments).progressToken(token).build();
        CompletableFuture<McpSchema.CallToolResult> result = live.client().callTool(request).toFuture();
        try {
            return ToolResults.outcome(result.get());
        } catch (InterruptedException e) {
            live.transport().cancel(token, "the caller stopped waiting: its time ran out or its run was cancelled");
            result.cancel(true);
            Thread.currentThread().interrupt();
            return new ToolOutcome.Failed("the call of " + server.name() + "/" + tool + " was stopped before it ended");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof McpError error) {
                return new ToolOutcome.Failed(server.name() + "/" + tool + " failed: " + error.getMessage());
            }
            return unreachable(reason(cause));
        } finally {
            progressByToken.remove(token);
            live.transport().ended(token);
        }
    }

    private ToolOutcome.Failed unreachable(String why) {
        return new ToolOutcome.Failed("the server " + server.name() + " is not reachable: " + why);
    }

    private static String reason(Throwable failure) {
        Throwable root = McpError.findRootCause(failure);
        String message = root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName() : root.getMessage().strip();
        return root == failure || failure.getMessage() == null || failure.getMessage().strip().equals(message)
                ? message
                : failure.getMessage().strip() + ": " + message;
    }

    /** Ends the session (and a local server's process) and stops connecting. */
    @Override
    public void close() {
        closed = true;
        connector.interrupt();
        Session live = session;
        session = null;
        problem = "closed";
        if (live != null) {
            try {
                live.client().closeGracefully().block(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                live.client().close();
            }
        }
    }
}
