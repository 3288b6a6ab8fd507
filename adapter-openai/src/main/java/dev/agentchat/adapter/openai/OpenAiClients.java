package dev.agentchat.adapter.openai;

import com.azure.ai.openai.OpenAIAsyncClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Context;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.agentchat.adapter.openai.AzureOpenAiSettings.Service;
import java.io.IOException;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

/**
 * Builds the SDK client for the settings: transport, retries, address and credentials. The SDK client has
 * nothing to close; its {@link Transport} does, and belongs to whoever builds the client.
 */
final class OpenAiClients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Every streamed answer holds one HTTP/1.1 connection for as long as it streams, so an instance needs
     * as many as it has answers in flight. Reactor Netty's shared pool stops at 500 and queues the rest,
     * which showed as answers half as fast past 500 streams; this pool is bounded by the runs instead.
     * Idle connections go after a minute, before the service's own idle cut. One pool per transport, so
     * that closing one closes its connections and no other's.
     */
    private static ConnectionProvider connections() {
        return ConnectionProvider.builder("agentchat-model")
                .maxConnections(20_000)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(60))
                .build();
    }

    private OpenAiClients() {
    }

    /** The HTTP transport for a client of these settings, with a connection pool of its own. */
    static Transport transport(AzureOpenAiSettings settings) {
        ConnectionProvider connections = connections();
        return new Transport(netty(settings, connections), connections);
    }

    static OpenAIAsyncClient build(AzureOpenAiSettings settings, Transport transport) {
        OpenAIClientBuilder builder = new OpenAIClientBuilder()
                .httpClient(transport)
                .retryPolicy(new RetryPolicy(new BoundedRetryStrategy(settings.retries())))
                .addPolicy(new ServiceAddressPolicy(settings));
        if (settings.service() == Service.AZURE_OPENAI) {
            // With an endpoint the SDK speaks Azure's dialect; without one, OpenAI's (at api.openai.com,
            // which ServiceAddressPolicy redirects to the configured base URL).
            builder.endpoint(settings.endpoint().toString());
        }
        if (settings.apiKey().isPresent()) {
            builder.addPolicy(new ApiKeyPolicy(settings.service(), settings.apiKey().get()));
        } else if (settings.service() == Service.AZURE_OPENAI) {
            // Entra ID: environment, workload identity, managed identity, Azure CLI... The credential asks
            // for a token only when the first request is sent, not here.
            builder.credential(new DefaultAzureCredentialBuilder().build());
        }
        // An OpenAI-compatible server without a key is asked without credentials (a local server).
        return builder.buildAsyncClient();
    }

    /**
     * Netty, chosen explicitly rather than found on the class path (azure-core takes whichever transport
     * its service loader finds first): it streams the body piece by piece and closes the connection when
     * the subscription is cancelled, which the tests check. The JDK HttpClient transport (1.0.3) failed
     * streamed bodies on the SDK's blocking path ("IOException: InterruptedException") when tried here.
     * Netty's threads are reactor-netty's shared daemon event loops: not ours to close.
     */
    private static HttpClient netty(AzureOpenAiSettings settings, ConnectionProvider connections) {
        return new NettyAsyncHttpClientBuilder()
                .connectionProvider(connections)
                .connectTimeout(CONNECT_TIMEOUT)
                .writeTimeout(WRITE_TIMEOUT)
                .responseTimeout(settings.readTimeout())
                .readTimeout(settings.readTimeout())
                .build();
    }

    /**
     * Netty with its connection pool, which {@link #close()} disposes of. A disposed reactor-netty pool
     * would quietly make new connections on the next request, so a closed transport refuses requests
     * itself: nothing reaches the service once the model is closed.
     */
    static final class Transport implements HttpClient, AutoCloseable {
        private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(5);

        private final HttpClient netty;
        private final ConnectionProvider connections;
        private volatile boolean closed;

        private Transport(HttpClient netty, ConnectionProvider connections) {
            this.netty = netty;
            this.connections = connections;
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request) {
            return send(request, Context.NONE);
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request, Context context) {
            // Deferred, so that a request retried after the close is refused too.
            return Mono.defer(() -> closed ? Mono.error(new IOException("the model's connections are closed"))
                    : netty.send(request, context));
        }

        @Override
        public HttpResponse sendSync(HttpRequest request, Context context) {
            if (closed) {
                throw new java.io.UncheckedIOException(new IOException("the model's connections are closed"));
            }
            return netty.sendSync(request, context);
        }

        /** Closes the pooled connections; requests from now on fail. Closing twice does nothing more. */
        @Override
        public void close() {
            closed = true;
            connections.disposeLater().block(CLOSE_PATIENCE);
        }
    }
}
