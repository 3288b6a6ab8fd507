package dev.agentchat.adapter.openaijava;

import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.Timeout;
import com.openai.credential.BearerTokenCredential;
import dev.agentchat.ports.chat.ModelServiceFailures;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/** Builds the SDK client for the settings: transport, timeouts, address and credentials. */
final class OpenAiJavaClients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    /** The scope of an Entra ID token for Azure OpenAI. */
    private static final String COGNITIVE_SERVICES = "https://cognitiveservices.azure.com/.default";
    /** Idle connections go after a minute, before the service's own idle cut. */
    private static final Duration KEEP_IDLE = Duration.ofSeconds(60);

    private OpenAiJavaClients() {
    }

    /**
     * The OkHttp client every call of one model goes through. Its timeouts are the settings': a read
     * timeout between two reads (a keep-alive comment resets it) and no deadline for the whole call, as
     * an answer may stream for minutes. Retries are ours ({@link Retrying}), so OkHttp's own are off.
     * Calls are made with {@code execute()} on the caller's thread: the dispatcher's threads are never used.
     */
    static OkHttpClient transport(OpenAiJavaSettings settings, CallTracker calls) {
        // Each streamed answer holds one HTTP/1.1 connection while it streams; the pool keeps as many idle
        // ones as were in use, for a minute. The dispatcher's limits (64 calls) apply to enqueue() alone.
        return new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(Integer.MAX_VALUE, KEEP_IDLE.toSeconds(), TimeUnit.SECONDS))
                .retryOnConnectionFailure(false)
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(settings.readTimeout())
                .writeTimeout(WRITE_TIMEOUT)
                .callTimeout(Duration.ZERO)
                .addInterceptor(calls)
                .build();
    }

    static OpenAIClient build(OpenAiJavaSettings settings, OkHttpClient transport) {
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder()
                .okHttpClient(transport)
                // Explicit, or the SDK puts its own ten-minute deadline on every call (see transport()).
                .timeout(Timeout.builder().connect(CONNECT_TIMEOUT).read(settings.readTimeout()).write(WRITE_TIMEOUT)
                        .request(Duration.ZERO).build())
                .maxRetries(0)
                .disableTelemetry(true)
                .baseUrl(settings.endpoint().toString());
        if (settings.dialect() == OpenAiJavaSettings.Dialect.AZURE_OPENAI) {
            // Forced, not guessed from the host name: a proxy or a local test server speaks Azure too.
            builder.azureUrlPathMode(AzureUrlPathMode.LEGACY)
                    .azureServiceVersion(AzureOpenAIServiceVersion.fromString(settings.apiVersion()));
            if (settings.apiKey().isPresent()) {
                builder.credential(AzureApiKeyCredential.create(settings.apiKey().get()));
            } else {
                builder.credential(BearerTokenCredential.create(entraIdTokens(
                        new ModelServiceFailures(settings.endpoint(), settings.apiKey()))));
            }
        } else if (settings.apiKey().isPresent()) {
            builder.apiKey(settings.apiKey().get());
        } else {
            // A local server without credentials: the SDK refuses to send a request without any, unless the
            // Authorization header is removed on purpose.
            builder.removeHeaders("Authorization");
        }
        return builder.build();
    }

    /**
     * Entra ID (environment, workload identity, managed identity, Azure CLI...): the credential caches its
     * token and asks for one only when the first request is sent, not here.
     */
    private static java.util.function.Supplier<String> entraIdTokens(ModelServiceFailures failures) {
        var credential = new DefaultAzureCredentialBuilder().build();
        TokenRequestContext scope = new TokenRequestContext().addScopes(COGNITIVE_SERVICES);
        return () -> {
            try {
                return credential.getTokenSync(scope).getToken();
            } catch (RuntimeException e) {
                throw failures.cannotSignIn(e);
            }
        };
    }
}
