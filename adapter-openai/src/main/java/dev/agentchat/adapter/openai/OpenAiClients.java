package dev.agentchat.adapter.openai;

import com.azure.ai.openai.OpenAIAsyncClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.agentchat.adapter.openai.AzureOpenAiSettings.Service;
import java.time.Duration;
import reactor.netty.resources.ConnectionProvider;

/** Builds the SDK client for the settings: transport, retries, address and credentials. */
final class OpenAiClients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Every streamed answer holds one HTTP/1.1 connection for as long as it streams, so an instance needs
     * as many as it has answers in flight. Reactor Netty's shared pool stops at 500 and queues the rest,
     * which showed as answers half as fast past 500 streams; this pool is bounded by the runs instead.
     * Idle connections go after a minute, before the service's own idle cut.
     */
    private static final ConnectionProvider CONNECTIONS = ConnectionProvider.builder("agentchat-model")
            .maxConnections(20_000)
            .pendingAcquireMaxCount(-1)
            .maxIdleTime(Duration.ofSeconds(60))
            .build();

    private OpenAiClients() {
    }

    static OpenAIAsyncClient build(AzureOpenAiSettings settings) {
        OpenAIClientBuilder builder = new OpenAIClientBuilder()
                .httpClient(netty(settings))
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
    private static HttpClient netty(AzureOpenAiSettings settings) {
        return new NettyAsyncHttpClientBuilder()
                .connectionProvider(CONNECTIONS)
                .connectTimeout(CONNECT_TIMEOUT)
                .writeTimeout(WRITE_TIMEOUT)
                .responseTimeout(settings.readTimeout())
                .readTimeout(settings.readTimeout())
                .build();
    }
}
