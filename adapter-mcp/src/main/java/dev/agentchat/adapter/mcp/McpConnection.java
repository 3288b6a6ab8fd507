package dev.agentchat.adapter.mcp;

import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    /** How long a server may take to answer a ping after a call was stopped, before it counts as lost. */
    static final Duration PING = Duration.ofSeconds(5);
    static final int MAX_PROBLEM = 300;

    private final McpServer server;
    private final Clock clock;
    private final Runnable toolsChanged;
    private final Map<Object, ToolProgress> progressByToken = new ConcurrentHashMap<>();

    private volatile Thread connector;
    private volatile Session session;
    /** Why the server is not reachable; null once it is and its tools are in the catalogue. */
    private volatile String problem = "not connected yet";
    private volatile List<ListedTool> tools = List.of();
    private volatile boolean closed;
    /** How long to wait before starting a local server again after its process ended; doubles while it keeps dying. */
    private Duration restartWait = FIRST_RETRY;

    /**
     * A live session: the SDK's client, the transport under it that can cancel calls, the calls waiting on it, and
     * when it began.
     */
    private record Session(McpAsyncClient client, CallTracking transport, Set<CompletableFuture<?>> calls, long began) {
    }

    /** The session ended under a call: the server's process ended, or its connection broke, so no answer will come. */
    private static final class SessionLost extends RuntimeException {
        SessionLost(String why) {
            super(why, null, false, false);
        }
    }

    /** A remote server refused a call because it no longer knows the session: it did not run the call. */
    private static final class SessionRefused extends RuntimeException {
        SessionRefused() {
            super(null, null, false, false);
        }
    }

    private McpConnection(McpServer server, Clock clock, Runnable toolsChanged) {
        this.server = server;
        this.clock = clock;
        this.toolsChanged = toolsChanged;
    }

    /** Starts connecting to {@code server} in the background; {@code toolsChanged} runs whenever its tools change. */
    static McpConnection open(McpServer server, Clock clock, Runnable toolsChanged) {
        McpConnection connection = new McpConnection(server, clock, toolsChanged);
        connection.startConnecting(Duration.ZERO);
        return connection;
    }

    String name() {
        return server.name();
    }

    /** Why the server cannot be reached now (the last error); empty when it can. */
    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** A tool the server lists, with its input schema compiled. */
    record ListedTool(McpSchema.Tool tool, InputSchema input) {
    }

    /** The tools the server lists now; none while it cannot be reached. */
    List<ListedTool> tools() {
        return session == null ? List.of() : tools;
    }

    private synchronized void startConnecting(Duration firstWait) {
        if (!closed) {
            connector = Thread.ofVirtual().name("mcp-connect-" + server.name()).start(() -> connectUntilConnected(firstWait));
        }
    }

    private void connectUntilConnected(Duration firstWait) {
        Duration wait = FIRST_RETRY;
        try {
            if (firstWait.isPositive()) {
                clock.sleep(firstWait);
            }
            while (!closed) {
                try {
                    Session connected = connect();
                    synchronized (this) {
                        if (closed) {
                            connected.client().close(); // closed while it connected: end the session it opened
                            return;
                        }
                        session = connected;
                    }
                    LOG.log(Level.INFO, "MCP server {0}: connected, {1} tools", server.name(), tools.size());
                    toolsChanged.run();
                    problem = null; // only now: whoever sees the server reachable finds its tools offered
                    watchProcess(connected);
                    return;
                } catch (RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    problem = reason(e);
                    LOG.log(Level.WARNING, "MCP server {0} is not reachable, trying again in {1} s: {2}",
                            server.name(), wait.toSeconds(), problem);
                }
                clock.sleep(wait);
                wait = doubled(wait);
            }
        } catch (InterruptedException closing) {
            // closed while waiting
        }
    }

    private static Duration doubled(Duration wait) {
        return wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
    }

    /**
     * Notices when a local server's process ends. The SDK (2.2) does not: its reader stops, and calls wait for an
     * answer that never comes.
     */
    private void watchProcess(Session watched) {
        if (watched.transport().wrapped() instanceof StdioClientTransport process) {
            Thread.ofVirtual().name("mcp-process-" + server.name()).start(() -> {
                try {
                    process.awaitForExit();
                } catch (RuntimeException interrupted) {
                    return;
                }
                lost(watched, "its process ended");
            });
        }
    }

    /**
     * The session ended on the server's side (a local server's process ended, a remote one's connection broke):
     * calls waiting on it fail, its tools are no longer offered, and it is connected again (a local server started
     * again) after a wait that doubles while it keeps dying soon after a start.
     */
    private void lost(Session lost, String why) {
        Duration wait;
        synchronized (this) {
            if (closed || session != lost) {
                return; // closed by us, or already replaced
            }
            session = null;
            problem = why;
            boolean soon = clock.nanoTime() - lost.began() < LAST_RETRY.toNanos();
            wait = soon ? restartWait : Duration.ZERO;
            restartWait = soon ? doubled(restartWait) : FIRST_RETRY;
        }
        LOG.log(Level.WARNING, "MCP server {0} is not reachable, starting it again in {1} s: {2}",
                server.name(), wait.toSeconds(), why);
        lost.calls().forEach(call -> call.completeExceptionally(new SessionLost(why)));
        lost.client().close();
        toolsChanged.run();
        startConnecting(wait);
    }

    private Session connect() {
        CallTracking transport = new CallTracking(Transports.of(server));
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
            tools = listed == null ? List.of() : compiled(listed.tools());
            if (closed) {
                throw new IllegalStateException("closed");
            }
            return new Session(client, transport, ConcurrentHashMap.newKeySet(), clock.nanoTime());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The server's tools changed ({@code notifications/tools/list_changed}); the SDK has listed them again. */
    private void listed(List<McpSchema.Tool> listed) {
        tools = compiled(listed);
        LOG.log(Level.INFO, "MCP server {0}: its tools changed, {1} now", server.name(), tools.size());
        toolsChanged.run();
    }

    /** The tools listed, each with its input schema compiled; a tool whose schema does not compile is left out. */
    private List<ListedTool> compiled(List<McpSchema.Tool> listed) {
        List<ListedTool> compiled = new ArrayList<>();
        for (McpSchema.Tool tool : listed) {
            try {
                compiled.add(new ListedTool(tool, InputSchema.compile(tool.inputSchema())));
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "MCP tool {0}/{1} is left out: its input schema is not a JSON Schema: {2}",
                        server.name(), tool.name(), e.getMessage());
            }
        }
        return List.copyOf(compiled);
    }

    private void progressed(McpSchema.ProgressNotification progress) {
        ToolProgress listener = progressByToken.get(progress.progressToken());
        if (listener != null) {
            listener.report(ProgressText.of(progress));
        }
    }

    /**
     * Calls {@code tool} and waits for its result. An interrupt (the caller's timeout, a cancelled run) stops the
     * wait at once and tells the server to stop the call; a caller interrupted already sends nothing. A remote server that no longer knows the session (it
     * answers 404, or 400 as some do) refused the call without running it, so the call is made once more, on the
     * session the SDK opens again; any other failure is not retried, since the call may have run.
     */
    ToolOutcome call(String tool, Map<String, Object> arguments, ToolProgress progress) {
        try {
            return attempt(tool, arguments, progress);
        } catch (SessionRefused e) {
            LOG.log(Level.INFO, "MCP server {0} no longer knows the session; calling {1} again on a new one", server.name(), tool);
            try {
                return attempt(tool, arguments, progress);
            } catch (SessionRefused again) {
                return unreachable("it refused the session twice in a row");
            }
        }
    }

    private ToolOutcome attempt(String tool, Map<String, Object> arguments, ToolProgress progress) {
        if (Thread.currentThread().isInterrupted()) {
            // The caller stopped waiting before the call left (the SDK sends it at once, whoever waits): not sent.
            return stopped(tool);
        }
        Session live = session;
        if (live == null) {
            return unreachable(Optional.ofNullable(problem).orElse("not connected"));
        }
        String token = UUID.randomUUID().toString();
        progressByToken.put(token, progress);
        McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder()
                .name(tool).arguments(arguments).progressToken(token).build();
        CompletableFuture<McpSchema.CallToolResult> result = live.client().callTool(request).toFuture();
        live.calls().add(result);
        try {
            if (session != live) {
                result.completeExceptionally(new SessionLost(Optional.ofNullable(problem).orElse("the session ended")));
            }
            return ToolResults.outcome(result.get());
        } catch (InterruptedException e) {
            live.transport().cancel(token, "the caller stopped waiting: its time ran out or its run was cancelled");
            result.cancel(true);
            Thread.currentThread().interrupt();
            checkAnswers(live);
            return stopped(tool);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof McpTransportSessionNotFoundException || live.transport().refusedForLostSession(token)) {
                throw new SessionRefused();
            }
            return switch (e.getCause()) {
                case McpError error -> new ToolOutcome.Failed(server.name() + "/" + tool + " failed: " + error.getMessage());
                case SessionLost lost -> unreachable(lost.getMessage() + " during the call");
                case Throwable other when McpError.findRootCause(other) instanceof IOException -> {
                    // The connection broke or was refused: the server is down until a new session says otherwise.
                    lost(live, reason(other));
                    yield unreachable(reason(other));
                }
                case Throwable other -> unreachable(reason(other));
            };
        } finally {
            live.calls().remove(result);
            progressByToken.remove(token);
            live.transport().ended(token);
        }
    }

    /**
     * Pings the server, in the background, after a call that did not end on its own: the call may have waited on a
     * server that will never answer again. The SDK (2.2) stops reading a local server's output at a line that is not
     * JSON-RPC, or one over its size limit, and leaves the process running, so nothing else would notice; every
     * call would wait out its timeout. A server that does not answer within {@link #PING} is lost, and is started
     * (or connected) again.
     */
    private void checkAnswers(Session live) {
        Thread.ofVirtual().name("mcp-ping-" + server.name()).start(() -> {
            try {
                live.client().ping().block(PING);
            } catch (RuntimeException e) {
                lost(live, "it did not answer a ping within " + PING.toSeconds() + " s after a call was stopped");
            }
        });
    }

    private ToolOutcome.Failed stopped(String tool) {
        return new ToolOutcome.Failed("the call of " + server.name() + "/" + tool + " was stopped before it ended");
    }

    private ToolOutcome.Failed unreachable(String why) {
        return new ToolOutcome.Failed("the server " + server.name() + " is not reachable: " + why);
    }

    /**
     * What went wrong, cut to {@value #MAX_PROBLEM} characters: it is shown by the health check and logged on every
     * retry, and an HTTP error may carry a whole response body.
     */
    private static String reason(Throwable failure) {
        Throwable root = McpError.findRootCause(failure);
        String message = root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName() : root.getMessage().strip();
        String reason = root == failure || failure.getMessage() == null || failure.getMessage().strip().equals(message)
                ? message
                : failure.getMessage().strip() + ": " + message;
        return reason.length() > MAX_PROBLEM ? reason.substring(0, MAX_PROBLEM - 3) + "..." : reason;
    }

    /** Ends the session (and a local server's process) and stops connecting. */
    @Override
    public void close() {
        Session live;
        synchronized (this) {
            closed = true;
            live = session;
            session = null;
            problem = "closed";
        }
        connector.interrupt();
        if (live != null) {
            try {
                // A local server's processes are killed once the grace has passed, so this ends soon after it.
                live.client().closeGracefully().block(Transports.GRACE.plusSeconds(1));
            } catch (RuntimeException e) {
                live.client().close();
            }
        }
    }
}
