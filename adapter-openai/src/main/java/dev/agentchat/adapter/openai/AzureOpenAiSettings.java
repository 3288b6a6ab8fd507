package dev.agentchat.adapter.openai;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where and how {@link AzureOpenAiChatModel} asks its model.
 *
 * @param endpoint    Azure: the resource endpoint ({@code https://NAME.openai.azure.com}); OpenAI-compatible:
 *                    the base URL the {@code /chat/completions} path is appended to ({@code https://api.openai.com/v1})
 * @param apiVersion  Azure's {@code api-version} query parameter (ignored by OpenAI-compatible servers)
 * @param deployment  the Azure deployment, or the model name sent to an OpenAI-compatible server
 * @param apiKey      the key; without one, Azure is asked with Entra ID (DefaultAzureCredential) and an
 *                    OpenAI-compatible server with no credentials at all (a local server)
 * @param service     which wire dialect the endpoint speaks
 * @param retries     how often, and how long, a refused or failed request is tried again before any token
 * @param readTimeout the longest the service may stay silent: before the answer begins, or between two chunks
 */
public record AzureOpenAiSettings(URI endpoint, String apiVersion, String deployment, Optional<String> apiKey,
                                  Service service, Retries retries, Duration readTimeout) {

    /**
     * The GA version that has {@code stream_options.include_usage} (the first with it was 2024-09-01-preview).
     * Any version string is sent as given: the SDK's own version enum is not consulted.
     */
    public static final String DEFAULT_API_VERSION = "2024-10-21";
    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
    /** A model service that is silent this long mid-answer has gone: keep-alive comments reset the clock. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** The wire dialect of the endpoint. */
    public enum Service {
        /** {@code POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...}, {@code api-key} header. */
        AZURE_OPENAI,
        /** {@code POST {baseUrl}/chat/completions} with {@code "model"} in the body, {@code Authorization: Bearer} header. */
        OPENAI_COMPATIBLE
    }

    /**
     * Retry limits for requests refused with 408, 429 or 5xx, or failed to connect. Retries happen only
     * before the answer's first byte (the retry policy acts on the response status), so no token is
     * ever repeated. A service that asks (Retry-After, retry-after-ms) for a longer wait than
     * {@code maxDelay} is not waited for: the request fails at once.
     */
    public record Retries(int maxRetries, Duration baseDelay, Duration maxDelay) {
        public static final Retries DEFAULT = new Retries(3, Duration.ofMillis(800), Duration.ofSeconds(20));

        public Retries {
            if (maxRetries < 0 || maxRetries > 10) {
                throw new IllegalArgumentException("max retries must be 0 to 10, was " + maxRetries);
            }
            requirePositive(baseDelay, "base delay");
            requirePositive(maxDelay, "max delay");
            if (baseDelay.compareTo(maxDelay) > 0) {
                throw new IllegalArgumentException("the base delay " + baseDelay + " exceeds the max delay " + maxDelay);
            }
        }
    }

    public AzureOpenAiSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(retries, "retries");
        requirePositive(readTimeout, "read timeout");
        String scheme = endpoint.getScheme();
        if (!endpoint.isAbsolute() || endpoint.getHost() == null
                || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("the model endpoint must be an http(s) URL, was '" + endpoint + "'");
        }
        if (deployment.isBlank()) {
            throw new IllegalArgumentException("the deployment (model name) must not be blank");
        }
        if (service == Service.AZURE_OPENAI && apiVersion.isBlank()) {
            throw new IllegalArgumentException("the Azure OpenAI api-version must not be blank");
        }
        if (apiKey.isPresent() && apiKey.get().isBlank()) {
            throw new IllegalArgumentException("the API key must not be blank when given");
        }
        if (service == Service.AZURE_OPENAI && apiKey.isEmpty() && "http".equalsIgnoreCase(scheme)) {
            // The SDK's bearer token policy refuses plain http; say so now rather than at the first request.
            throw new IllegalArgumentException("Entra ID tokens are sent only over https; give an https endpoint or an API key");
        }
        // The SDK's own key policy refuses plain http outright; we send the key ourselves (so that a local
        // server can be reached) but keep its point: a key goes over plain http only to this machine.
        if (apiKey.isPresent() && "http".equalsIgnoreCase(scheme) && !isLoopback(endpoint.getHost())) {
            throw new IllegalArgumentException("an API key is sent over plain http only to a loopback address; use https for "
                    + endpoint.getHost());
        }
    }

    /** Azure OpenAI, with the default retries and read timeout. */
    public static AzureOpenAiSettings azure(String endpoint, String apiVersion, String deployment, Optional<String> apiKey) {
        return new AzureOpenAiSettings(uri(endpoint), apiVersion, deployment, apiKey, Service.AZURE_OPENAI,
                Retries.DEFAULT, DEFAULT_READ_TIMEOUT);
    }

    /** An OpenAI-compatible server (OpenAI itself, vLLM, Ollama, LiteLLM...), with the default retries and read timeout. */
    public static AzureOpenAiSettings openAiCompatible(String baseUrl, String model, Optional<String> apiKey) {
        return new AzureOpenAiSettings(uri(baseUrl), "", model, apiKey, Service.OPENAI_COMPATIBLE,
                Retries.DEFAULT, DEFAULT_READ_TIMEOUT);
    }

    /**
     * Reads the settings by their environment names: {@code AZURE_OPENAI_ENDPOINT},
     * {@code AZURE_OPENAI_API_VERSION}, {@code AZURE_OPENAI_DEPLOYMENT_NAME}, {@code AZURE_OPENAI_API_KEY};
     * else {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}, {@code OPENAI_MODEL}. Azure wins when both are set.
     *
     * @param setting looks a setting up by name (the environment, a properties file...)
     * @return empty when neither service is configured
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    public static Optional<AzureOpenAiSettings> from(Function<String, Optional<String>> setting) {
        Optional<String> azureEndpoint = read(setting, "AZURE_OPENAI_ENDPOINT");
        if (azureEndpoint.isPresent()) {
            return Optional.of(azure(azureEndpoint.get(),
                    read(setting, "AZURE_OPENAI_API_VERSION").orElse(DEFAULT_API_VERSION),
                    required(setting, "AZURE_OPENAI_DEPLOYMENT_NAME", "AZURE_OPENAI_ENDPOINT"),
                    read(setting, "AZURE_OPENAI_API_KEY")));
        }
        Optional<String> baseUrl = read(setting, "OPENAI_BASE_URL");
        Optional<String> key = read(setting, "OPENAI_API_KEY");
        if (baseUrl.isPresent() || key.isPresent()) {
            return Optional.of(openAiCompatible(baseUrl.orElse(OPENAI_BASE_URL),
                    required(setting, "OPENAI_MODEL", baseUrl.isPresent() ? "OPENAI_BASE_URL" : "OPENAI_API_KEY"), key));
        }
        return Optional.empty();
    }

    public AzureOpenAiSettings withRetries(Retries newRetries) {
        return new AzureOpenAiSettings(endpoint, apiVersion, deployment, apiKey, service, newRetries, readTimeout);
    }

    public AzureOpenAiSettings withReadTimeout(Duration newReadTimeout) {
        return new AzureOpenAiSettings(endpoint, apiVersion, deployment, apiKey, service, retries, newReadTimeout);
    }

    /** Never shows the key: settings end up in logs. */
    @Override
    public String toString() {
        return "AzureOpenAiSettings[endpoint=" + endpoint + ", apiVersion=" + apiVersion + ", deployment=" + deployment
                + ", apiKey=" + (apiKey.isPresent() ? "(set)" : "(none)") + ", service=" + service + ", retries=" + retries
                + ", readTimeout=" + readTimeout + "]";
    }

    private static Optional<String> read(Function<String, Optional<String>> setting, String name) {
        return setting.apply(name).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static String required(Function<String, Optional<String>> setting, String name, String because) {
        return read(setting, name).orElseThrow(() -> new IllegalArgumentException(name + " must be set when " + because + " is"));
    }

    private static URI uri(String text) {
        Objects.requireNonNull(text, "endpoint");
        try {
            return new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the model endpoint is not a URL: '" + text + "'", e);
        }
    }

    private static boolean isLoopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses are judged; a name is never looked up here (no DNS at configuration time).
        if (!(IPV4_LITERAL.matcher(bare).matches() || bare.contains(":"))) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void requirePositive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive, was " + duration);
        }
    }
}
