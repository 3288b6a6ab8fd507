package dev.agentchat.adapter.mcp;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/** The SDK's transport to a server: a process of its own over stdio, or Streamable HTTP. */
final class Transports {
    private static final System.Logger LOG = System.getLogger(Transports.class.getName());

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
    }

    /** A local server's process could not be started; the message names the program, not its arguments. */
    static final class NotStarted extends RuntimeException {
        NotStarted(String why) {
            // ProcessBuilder's message names the program and says why ("error=2, No such file or directory").
            super("the process could not be started: " + why, null, false, false);
        }
    }
}
