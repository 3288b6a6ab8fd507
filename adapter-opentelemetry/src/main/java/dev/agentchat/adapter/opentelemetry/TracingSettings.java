package dev.agentchat.adapter.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the standard {@code OTEL_*} variables of an environment ask of tracing, checked before the SDK is
 * configured from them, so that a wrong value fails the start naming its variable. The SDK's autoconfiguration
 * reads the same variables; this only decides whether tracing is on at all and checks what it can name.
 *
 * @param on             whether spans are exported: an OTLP endpoint is set and the SDK is not disabled
 * @param captureContent whether message contents and tool arguments and results go on the spans
 * @param properties     the environment's {@code OTEL_*} variables as the SDK's properties, with metrics and
 *                       logs not exported (metrics are Prometheus's)
 * @param endpointVariable the variable the traces' endpoint is read from
 */
record TracingSettings(boolean on, boolean captureContent, Map<String, String> properties, String endpointVariable) {
    static final String CAPTURE_CONTENT = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";
    /** The service's name when the environment names none. */
    static final String DEFAULT_SERVICE_NAME = "agentchat";

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    /** The protocols the Java OTLP exporter speaks; {@code http/json} is not one of them. */
    private static final Set<String> PROTOCOLS = Set.of("http/protobuf", "grpc");
    private static final Pattern PROPERTY = Pattern.compile("otel(\\.[a-z0-9_-]+)+");
    private static final Pattern HEADERS_VALUE = Pattern.compile("(headers\\s*[=:]\\s*).*");
    private static final String HIDDEN = "(not shown: it may hold a key)";

    TracingSettings {
        properties = Map.copyOf(properties);
    }

    /**
     * The settings {@code env} makes.
     *
     * @throws IllegalArgumentException naming the variable, when one has a value tracing cannot work with
     */
    static TracingSettings from(Map<String, String> env) {
        boolean disabled = flag(env, "OTEL_SDK_DISABLED");
        boolean capture = flag(env, CAPTURE_CONTENT);
        String exporter = value(env, "OTEL_TRACES_EXPORTER").orElse("otlp").trim().toLowerCase(Locale.ROOT);
        if (!exporter.equals("otlp") && !exporter.equals("none")) {
            throw new IllegalArgumentException("OTEL_TRACES_EXPORTER must be otlp or none, was " + exporter);
        }
        for (String protocol : new String[] {"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"}) {
            value(env, protocol).filter(given -> !PROTOCOLS.contains(given.trim())).ifPresent(given -> {
                throw new IllegalArgumentException(protocol + " must be http/protobuf or grpc, was " + given);
            });
        }
        String endpointVariable = null;
        for (String address : new String[] {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"}) {
            Optional<String> given = value(env, address);
            given.ifPresent(url -> checkEndpoint(address, url));
            endpointVariable = given.isPresent() ? address : endpointVariable;   // the traces' own wins, as in the SDK
        }
        Map<String, String> properties = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_") && value != null && !value.isBlank()) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        if (value(env, "OTEL_EXPORTER_OTLP_PROTOCOL").isEmpty() && value(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL").isEmpty()) {
            // The specification's default, and the Java agent's; the SDK's autoconfiguration alone still defaults to grpc.
            properties.put("otel.exporter.otlp.protocol", "http/protobuf");
        }
        properties.put("otel.traces.exporter", "otlp");
        properties.put("otel.metrics.exporter", "none");
        properties.put("otel.logs.exporter", "none");
        return new TracingSettings(endpointVariable != null && !disabled && exporter.equals("otlp"), capture, properties,
                endpointVariable);
    }

    /** {@code resource}, named {@value #DEFAULT_SERVICE_NAME} unless the environment named the service. */
    static Resource namedByDefault(Resource resource) {
        String name = resource.getAttribute(SERVICE_NAME);
        return name == null || name.startsWith("unknown_service")
                ? resource.merge(Resource.create(io.opentelemetry.api.common.Attributes.of(SERVICE_NAME, DEFAULT_SERVICE_NAME)))
                : resource;
    }

    /**
     * The SDK's refusal of a setting as the start-up error this service gives: the SDK names properties
     * ({@code otel.traces.sampler}), the operator set variables ({@code OTEL_TRACES_SAMPLER}).
     */
    IllegalArgumentException refused(ConfigurationException e) {
        String message = String.valueOf(e.getMessage());
        Matcher property = PROPERTY.matcher(message);
        String variable = property.find() ? property.group().toUpperCase(Locale.ROOT).replace('.', '_')
                : message.startsWith("OTLP endpoint") ? endpointVariable
                : "An OTEL_* variable";
        // Without the SDK's exception as cause: its message may repeat a value that holds a key.
        return new IllegalArgumentException(variable + " is not valid for tracing: " + withoutSecrets(message));
    }

    /**
     * {@code message} without the values of the headers settings (an exporter's headers carry the backend's key,
     * and the SDK's refusal repeats the whole value): what follows a headers property's name is not shown.
     */
    private String withoutSecrets(String message) {
        String shown = message;
        for (Map.Entry<String, String> setting : properties.entrySet()) {
            if (setting.getKey().contains("headers")) {
                shown = shown.replace(setting.getValue(), HIDDEN);
            }
        }
        return HEADERS_VALUE.matcher(shown).replaceAll("$1" + HIDDEN);
    }

    private static void checkEndpoint(String variable, String url) {
        try {
            URI uri = new URI(url.trim());
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException(variable + " must be an http or https URL, was " + url);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(variable + " must be an http or https URL, was " + url, e);
        }
    }

    private static boolean flag(Map<String, String> env, String variable) {
        return value(env, variable).map(given -> switch (given.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(variable + " must be true or false, was " + given);
        }).orElse(false);
    }

    /** A variable's value; a blank one counts as unset, as the SDK takes it. */
    private static Optional<String> value(Map<String, String> env, String variable) {
        return Optional.ofNullable(env.get(variable)).filter(given -> !given.isBlank());
    }
}
