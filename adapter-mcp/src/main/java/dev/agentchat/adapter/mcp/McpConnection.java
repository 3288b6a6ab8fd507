package dev.agentchat.adapter.mcp;

import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** How long a server may take to answer a ping, before it counts as lost. */
    static final Duration PING = Duration.ofSeconds(5);
    /** How often a connected server is pinged, so that one gone while idle is noticed before a turn offers its tools. */
    static final Duration PING_EVERY = Duration.ofSeconds(30);
    static final int MAX_PROBLEM = 300;
    /** The SDK's (2.2) error for a call still waiting when it ends a session (McpClientSession.dismissPendingResponses). */
    private static final String SESSION_ENDED_BY_SDK = "MCP session with server terminated";

    private final McpServer server;
    private final Clock clock;
    private final Runnable toolsChanged;
    private final Duration pingEvery;
    private final Map<Object, ToolProgress> progressByToken = new ConcurrentHashMap<>();

    private volatile Thread connector;
    private volatile Thread pinger;
    private volatile Session session;
    /** Why the server is not reachable; null once it is and its tools are in the catalogue. */
    private volatile String problem = "not connected yet";
    private volatile List<ListedTool> tools = List.of();
    private volatile boolean closed;
    /** How long to wait before starting a local server again after its process ended; doubles while it keeps dying. */
    private Duration restartWait = FIRST_RETRY;

    /**
     * A live session: the SDK's client, the transport under it that can cancel calls, the calls waiting on it, when it
     * began, and whether it was given up (retired) and ended.
     */
    private record Session(McpAsyncClient client, CallTracking transport, Set<CompletableFuture<?>> calls, long began,
                           AtomicBoolean retired, AtomicBoolean ended) {
        Session(McpAsyncClient client, CallTracking transport, long began) {
            this(client, transport, ConcurrentHashMap.newKeySet(), began, new AtomicBoolean(), new AtomicBoolean());
        }

        boolean local() {
            return transport.wrapped() instanceof StdioClientTransport;
        }

        /** Ends the session once its last call has ended; calls still waiting on it may yet be answered. */
        void retire() {
            retired.set(true);
            endIfIdle();
        }

        void endIfIdle() {
            if (retired.get() && calls.isEmpty() && ended.compareAndSet(false, true)) {
                client.close();
            }
        }
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

    /** Watches each call; set once the service is wired, before any call. */
    private volatile Telemetry telemetry = Telemetry.OFF;

    void watchedBy(Telemetry watching) {
        this.telemetry = watching;
    }

    private McpConnection(McpServer server, Clock clock, Duration pingEvery, Runnable toolsChanged) {
        this.server = server;
        this.clock = clock;
        this.pingEvery = pingEvery;
        this.toolsChanged = toolsChanged;
    }

    /**
     * Starts connecting to {@code server} in the background, and pings it every {@code pingEvery} once connected;
     * {@code toolsChanged} runs whenever its tools change.
     */
    static McpConnection open(McpServer server, Clock clock, Duration pingEvery, Runnable toolsChanged) {
        McpConnection connection = new McpConnection(server, clock, pingEvery, toolsChanged);
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

    /** Whether a session with the server is open now (its tools, possibly none, are {@link #tools()}). */
    boolean connected() {
        return session != null;
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
                    watchLiveness(connected);
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
     * answer that never comes. What the process started and left running is killed: it would otherwise run on, a
     * new one beside it at every restart.
     */
    private void watchProcess(Session watched) {
        if (watched.transport().wrapped() instanceof Transports.LocalServer process) {
            process.lookForStarted();
            Thread.ofVirtual().name("mcp-process-" + server.name()).start(() -> {
                try {
                    process.awaitForExit();
                } catch (RuntimeException interrupted) {
                    return;
                }
                if (!closed && session == watched) {
                    process.killLeftBehind();
                }
                lost(watched, "its process ended");
            });
        }
    }

    /**
     * Pings the server every {@link #pingEvery} while the session lasts. A remote server that went away while idle
     * would otherwise be found out only by the next call, its tools offered and {@code /health} up until then; a
     * local one that stopped answering, only by a call's timeout. One that does not answer is lost, and connected
     * (or started) again with backoff.
     */
    private void watchLiveness(Session watched) {
        pinger = Thread.ofVirtual().name("mcp-liveness-" + server.name()).start(() -> {
            try {
                while (true) {
                    clock.sleep(pingEvery);
                    if (closed || session != watched) {
                        return;
                    }
                    if (watched.transport().wrapped() instanceof Transports.LocalServer process) {
                        process.lookForStarted();
                    }
                    Optional<String> silent = unanswered(watched);
                    if (silent.isPresent()) {
                        lost(watched, silent.get());
                        return;
                    }
                }
            } catch (InterruptedException closing) {
                // closed
            }
        });
    }

    /**
     * Why the server did not answer a ping within {@link #PING}; empty when it did. A remote server that no longer
     * knows the session (it restarted) is asked once more, on the session the SDK opens for it: it is up.
     */
    private Optional<String> unanswered(Session live) {
        for (int attempt = 1; ; attempt++) {
            try {
                live.client().ping().block(PING);
                return Optional.empty();
            } catch (RuntimeException e) {
                if (attempt == 1 && causedBy(e, McpTransportSessionNotFoundException.class)) {
                    continue;
                }
                return Optional.of(causedBy(e, TimeoutException.class) || String.valueOf(e.getMessage()).startsWith("Timeout on blocking read")
                        ? "it did not answer a ping within " + PING.toSeconds() + " s"
                        : reason(e));
            }
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> kind) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (kind.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The session ended on the server's side (a local server's process ended, a server did not answer a ping, a
     * remote one's connection broke and it did not answer one): its tools are no longer offered, and it is connected
     * again (a local server started again) after a wait that doubles while it keeps dying soon after a start. The
     * calls waiting on a local server fail at once; those on a remote one are left to their own connections.
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
        if (lost.local()) {
            // One process, one pipe: no call on it will be answered.
            lost.calls().forEach(call -> call.completeExceptionally(new SessionLost(why)));
            lost.client().close();
        } else {
            // Each call over HTTP waits on a connection of its own, which may still be answered; the session ends
            // with its last call, and those whose connection broke have failed on their own.
            lost.retire();
        }
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
            return new Session(client, transport, clock.nanoTime());
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
        Observation watched = telemetry.begin(new Work.ToolServerCall(server.name(), "tools/call", Optional.of(tool),
                server instanceof McpServer.Stdio ? "pipe" : "tcp"));
        ToolOutcome outcome = null;
        try {
            outcome = attemptOnce(tool, arguments, progress);
            return outcome;
        } finally {
            // tool_error as the MCP conventions name a failed call: the server's isError, or an exchange that failed.
            watched.end(outcome instanceof ToolOutcome.Succeeded ? Outcome.DONE : Outcome.failed("tool_error"));
        }
    }

    /** As {@link #call}, unwatched. */
    private ToolOutcome attemptOnce(String tool, Map<String, Object> arguments, ToolProgress progress) {
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
                case Throwable other when SESSION_ENDED_BY_SDK.equals(other.getMessage()) ->
                    // Another call was refused for a session the server no longer knows, and the SDK (2.2), setting
                    // up a new one, ended the old one with every call still waiting on it. The server dropped this
                    // call with the session, or ran it: it is not made again.
                    new ToolOutcome.Failed("the session with the server " + server.name()
                            + " ended during the call of " + tool + ": the server no longer knew it; the call is not made again, since it may have run");
                case Throwable other when McpError.findRootCause(other) instanceof IOException -> broke(live, tool, reason(other));
                case Throwable other -> unreachable(reason(other));
            };
        } finally {
            live.calls().remove(result);
            progressByToken.remove(token);
            live.transport().ended(token);
            live.endIfIdle();
        }
    }

    /**
     * The call's connection broke or was refused. A local server's pipe is its only one: the server is lost. Over
     * HTTP each call has a connection of its own, and the SDK (2.2) fails only the call whose connection broke, so
     * one broken connection (a proxy that cut it, a reset) says little of the others: the server is pinged, and
     * only one that does not answer is lost. Either way this call failed, and is not made again: it may have run.
     */
    private ToolOutcome broke(Session live, String tool, String why) {
        if (!live.local() && session == live && unanswered(live).isEmpty()) {
            return new ToolOutcome.Failed("the connection to the server " + server.name() + " broke during the call of "
                    + tool + ": " + why);
        }
        lost(live, why);
        return unreachable(why);
    }

    /**
     * Pings the server, in the background, after a call that did not end on its own: the call may have waited on a
     * server that will never answer again. The SDK (2.2) stops reading a local server's output at a line that is not
     * JSON-RPC, or one over its size limit, and leaves the process running, so nothing else would notice; every
     * call would wait out its timeout. A server that does not answer within {@link #PING} is lost, and is started
     * (or connected) again.
     */
    private void checkAnswers(Session live) {
        Thread.ofVirtual().name("mcp-ping-" + server.name()).start(() -> unanswered(live)
                .ifPresent(why -> lost(live, why + " after a call was stopped")));
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
        Thread watching = pinger;
        if (watching != null) {
            watching.interrupt();
        }
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
