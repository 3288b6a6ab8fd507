package dev.agentchat.adapter.openaijava;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how {@link OpenAiJavaChatModel} asks its model. Only the shape is checked here: the service
 * reads and checks its settings once (names, defaults, which addresses may carry a key) and maps them
 * onto this record, so that the rules are written in one place.
 *
 * @param endpoint    Azure: the resource endpoint; OpenAI-compatible: the base URL {@code /chat/completions} is appended to
 * @param apiVersion  Azure's {@code api-version} query parameter (unused by OpenAI-compatible servers)
 * @param deployment  the Azure deployment, or the model name sent to an OpenAI-compatible server
 * @param apiKey      the key; without one, Azure is asked with Entra ID and an OpenAI-compatible server without credentials
 * @param dialect     which wire dialect the endpoint speaks
 * @param retries     how often, and how long, a refused or failed request is tried again before the answer begins
 * @param readTimeout the longest the service may stay silent: before the answer begins, or between two chunks
 */
public record OpenAiJavaSettings(URI endpoint, String apiVersion, String deployment, Optional<String> apiKey,
                                 Dialect dialect, Retries retries, Duration readTimeout) {

    /** The wire dialect of the endpoint. */
    public enum Dialect {
        /** {@code POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...}, {@code api-key} header. */
        AZURE_OPENAI,
        /** {@code POST {baseUrl}/chat/completions} with {@code "model"} in the body, {@code Authorization: Bearer} header. */
        OPENAI_COMPATIBLE
    }

    /**
     * Retry limits for requests refused with 408, 429 or 5xx (but 501 and 505), or failed to connect; a
     * service that asks for a longer wait than {@code maxDelay} is not waited for.
     */
    public record Retries(int maxRetries, Duration baseDelay, Duration maxDelay) {
        public Retries {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("max retries must not be negative, was " + maxRetries);
            }
            Objects.requireNonNull(baseDelay, "baseDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
        }
    }

    public OpenAiJavaSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (deployment.isBlank()) {
            throw new IllegalArgumentException("the deployment (model name) must not be blank");
        }
    }

    /** Never shows the key: settings end up in logs. */
    @Override
    public String toString() {
        return "OpenAiJavaSettings[endpoint=" + endpoint + ", apiVersion=" + apiVersion + ", deployment=" + deployment
                + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)") + ", dialect=" + dialect + ", retries=" + retries
                + ", readTimeout=" + readTimeout + "]";
    }
}
