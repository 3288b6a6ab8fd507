package dev.agentchat.ports.contract.model;

import java.time.Duration;
import java.util.Optional;

/**
 * What a {@link ModelServiceContract} asks of a model adapter's settings, in no adapter's types: each
 * adapter's test maps it onto its own settings record.
 *
 * @param endpoint    the Azure resource endpoint, or the OpenAI-compatible base URL
 * @param azure       whether the endpoint speaks Azure's dialect (else OpenAI's)
 * @param apiVersion  Azure's api-version
 * @param deployment  the deployment (Azure) or model name
 * @param apiKey      the key; none means Entra ID for Azure, no credentials for an OpenAI-compatible server
 * @param maxRetries  how often a refused or failed request is tried again
 * @param baseDelay   the first wait of the backoff
 * @param maxDelay    the longest wait; a service asking for longer is not waited for
 * @param readTimeout the longest the service may stay silent
 */
public record ModelServiceSettings(String endpoint, boolean azure, String apiVersion, String deployment,
                                   Optional<String> apiKey, int maxRetries, Duration baseDelay, Duration maxDelay,
                                   Duration readTimeout) {
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    /** Azure on the fake server: deployment gpt-4o-mini, the test key, quick retries. */
    public static ModelServiceSettings azure(FakeOpenAiServer server) {
        return azure(server.endpoint(), Optional.of(FakeOpenAiServer.TEST_KEY));
    }

    /** Azure at {@code endpoint}, deployment gpt-4o-mini, quick retries. */
    public static ModelServiceSettings azure(String endpoint, Optional<String> apiKey) {
        return new ModelServiceSettings(endpoint, true, FakeOpenAiServer.API_VERSION, FakeOpenAiServer.DEPLOYMENT, apiKey,
                3, Duration.ofMillis(10), Duration.ofSeconds(2), DEFAULT_READ_TIMEOUT);
    }

    /** An OpenAI-compatible server at {@code baseUrl}. */
    public static ModelServiceSettings openAiCompatible(String baseUrl, String model, Optional<String> apiKey) {
        return new ModelServiceSettings(baseUrl, false, "", model, apiKey, 3, Duration.ofMillis(10), Duration.ofSeconds(2),
                DEFAULT_READ_TIMEOUT);
    }

    public ModelServiceSettings withDeployment(String newDeployment) {
        return new ModelServiceSettings(endpoint, azure, apiVersion, newDeployment, apiKey, maxRetries, baseDelay, maxDelay, readTimeout);
    }

    public ModelServiceSettings withRetries(int newMaxRetries, Duration newBaseDelay, Duration newMaxDelay) {
        return new ModelServiceSettings(endpoint, azure, apiVersion, deployment, apiKey, newMaxRetries, newBaseDelay, newMaxDelay,
                readTimeout);
    }

    public ModelServiceSettings withReadTimeout(Duration newReadTimeout) {
        return new ModelServiceSettings(endpoint, azure, apiVersion, deployment, apiKey, maxRetries, baseDelay, maxDelay,
                newReadTimeout);
    }
}
