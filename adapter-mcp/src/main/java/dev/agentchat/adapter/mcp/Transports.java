package dev.agentchat.adapter.mcp;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/** The SDK's transport to a server: a process of its own over stdio, or Streamable HTTP. */
final class Transports {
    private static final System.Logger LOG = System.getLogger(Transports.class.getName());
    /** How long a local server's processes have to end after being asked to, before they are killed. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private Transports() {
    }

    /** A new transport to {@code server}; nothing is started or sent until the client connects it. */
    static McpClientTransport of(McpServer server) {
        return switch (server) {
            case McpServer.Stdio stdio -> {
                StdioClientTransport transport = new LocalServer(
                        ServerParameters.builder(stdio.command()).args(stdio.args()).env(stdio.env()).build());
                // The SDK logs a server's standard error through SLF4J, which this service does not bind; it goes here.
                transport.setStdErrorHandler(line -> LOG.log(Level.DEBUG, "MCP server {0}: {1}", stdio.name(), line));
                yield transport;
            }
            case McpServer.Http http -> {
                // The SDK takes the server's origin and the endpoint's path apart.
                URI url = http.url();
                String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
                yield HttpClientStreamableHttpTransport.builder(url.getScheme() + "://" + url.getRawAuthority())
                        .endpoint(url.getRawQuery() == null ? path : path + "?" + url.getRawQuery())
                        .httpRequestCustomizer((request, method, uri, body, context) -> http.headers().forEach(request::header))
                        .build();
            }
        };
    }

    /**
     * A local server's process, with the variables MCP gives every local server (those a program needs to run:
     * {@code PATH}, {@code HOME}, {@code USER} and the like, which the SDK's parameters carry) and those of its own
     * entry, and nothing else of this service's environment: that holds its settings and secrets
     * ({@code ADMIN_API_KEY}, {@code COSMOS_KEY}, ...), which a tool server has no business reading. The SDK adds
     * the parameters' variables to what the process inherits, so the inherited ones are cleared first.
     */
    static final class LocalServer extends StdioClientTransport {
        /**
         * The process the SDK started. The SDK (2.2) starts it itself and keeps it to itself, and a
         * {@link ProcessBuilder} cannot be made to hand over what it starts, so it is read from the SDK's field.
         */
        private static final VarHandle PROCESS;

        static {
            try {
                PROCESS = MethodHandles.privateLookupIn(StdioClientTransport.class, MethodHandles.lookup())
                        .findVarHandle(StdioClientTransport.class, "process", Process.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        LocalServer(ServerParameters parameters) {
            super(parameters, McpJsonDefaults.getMapper());
        }

        @Override
        protected ProcessBuilder getProcessBuilder() {
            ProcessBuilder builder = super.getProcessBuilder();
            builder.environment().clear();
            return builder;
        }

        /**
         * The SDK fails a process that does not start with its whole command line, arguments and all, and those may
         * hold secrets from the environment (a password in a connection string); what is said of the failure (the
         * server's problem, shown by the unauthenticated health check, and the log) names the program only.
         */
        @Override
        public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
            return super.connect(handler).onErrorMap(failure -> failure.getCause() instanceof IOException,
                    failure -> new NotStarted(failure.getCause().getMessage()));
        }

        /**
         * Ends the process and every process it started, whichever way the session ends (closed, lost, a handshake
         * that failed or never finished). The SDK only sends the process SIGTERM and waits for it to exit, forever:
         * a server that ignores the signal would keep running, with the SDK's three threads, after every retry and
         * after the service stops; and a server started through a launcher ({@code npx}) runs as its grandchild,
         * which the signal to the launcher need not reach. So what still runs {@link #GRACE} after the signal is
         * killed. The processes are taken before the signal: once one ends, its children are no longer its
         * descendants.
         */
        @Override
        public Mono<Void> closeGracefully() {
            return Mono.defer(() -> {
                Process process = (Process) PROCESS.getVolatile(this);
                if (process == null) {
                    return super.closeGracefully();
                }
                List<ProcessHandle> started = tree(process.toHandle());
                CompletableFuture<Void> closed = super.closeGracefully().toFuture();
                CompletableFuture<Void> ended = CompletableFuture
                        .allOf(started.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                        .completeOnTimeout(null, GRACE.toMillis(), TimeUnit.MILLISECONDS)
                        .thenRun(() -> kill(process.toHandle(), started))
                        .thenCompose(killed -> closed);
                return Mono.fromFuture(ended, true);
            });
        }

        /**
         * What the process has started, as of the last look. Once it has ended, what it started is no longer its
         * descendants (it is handed to init), so this is all there is to find it by.
         */
        private final Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();

        /** Notes what the process has started so far; called now and then while it runs. */
        void lookForStarted() {
            Process process = (Process) PROCESS.getVolatile(this);
            if (process != null) {
                process.toHandle().descendants().forEach(started::add);
            }
        }

        /**
         * Kills what the process started, as last seen, and still runs: called when it ended on its own, leaving
         * them. A handle never kills another process that came to have the same pid: the JDK checks its start time.
         */
        void killLeftBehind() {
            List<ProcessHandle> alive = started.stream().filter(ProcessHandle::isAlive).toList();
            if (!alive.isEmpty()) {
                LOG.log(Level.WARNING, "MCP server process ended and left {0} processes it started running; killed", alive.size());
                alive.forEach(ProcessHandle::destroyForcibly);
            }
        }

        private static List<ProcessHandle> tree(ProcessHandle root) {
            List<ProcessHandle> tree = new ArrayList<>();
            tree.add(root);
            root.descendants().forEach(tree::add);
            return tree;
        }

        /** Kills what is left of {@code started}, and whatever the process started since. */
        private static void kill(ProcessHandle root, List<ProcessHandle> started) {
            List<ProcessHandle> all = new ArrayList<>(started);
            root.descendants().forEach(all::add);
            List<ProcessHandle> alive = all.stream().filter(ProcessHandle::isAlive).distinct().toList();
            if (!alive.isEmpty()) {
                LOG.log(Level.WARNING, "MCP server process {0}: {1} processes still ran {2} s after being asked to end; killed",
                        root.pid(), alive.size(), GRACE.toSeconds());
                alive.forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** A local server's process could not be started; the message names the program, not its arguments. */
    static final class NotStarted extends RuntimeException {
        NotStarted(String why) {
            // ProcessBuilder's message names the program and says why ("error=2, No such file or directory").
            super("the process could not be started: " + why, null, false, false);
        }
    }
}
