package dev.agentchat.adapter.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What the OTEL_* variables turn tracing into: off, on over one protocol or the other, or a start-up error. */
class TracingFromEnvironmentTest {
    private static final String ENDPOINT = "http://127.0.0.1:4318";

    @Test
    void tracing_is_off_unless_an_otlp_endpoint_is_set() {
        assertThat(OpenTelemetryTracing.fromEnvironment(Map.of())).isEmpty();
        assertThat(OpenTelemetryTracing.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "agentchat",
                "OTEL_EXPORTER_OTLP_ENDPOINT", " "))).isEmpty();
    }

    @Test
    void tracing_is_off_when_the_sdk_is_disabled_or_traces_are_exported_nowhere() {
        assertThat(OpenTelemetryTracing.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT,
                "OTEL_SDK_DISABLED", "true"))).isEmpty();
        assertThat(OpenTelemetryTracing.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT,
                "OTEL_TRACES_EXPORTER", "none"))).isEmpty();
    }

    @Test
    void an_endpoint_exports_over_http_protobuf_by_default_to_its_traces_path() {
        try (OpenTelemetryTracing tracing = on(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT))) {
            assertThat(tracing.exporter()).contains("OtlpHttpSpanExporter").contains(ENDPOINT + "/v1/traces");
            assertThat(tracing.capturesContent()).isFalse();
        }
    }

    @Test
    void the_grpc_protocol_exports_through_a_grpc_exporter() {
        try (OpenTelemetryTracing tracing = on(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"))) {
            assertThat(tracing.exporter()).contains("OtlpGrpcSpanExporter").contains("http://127.0.0.1:4317");
        }
    }

    @Test
    void content_capture_is_turned_on_by_its_variable() {
        try (OpenTelemetryTracing tracing = on(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT,
                "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true"))) {
            assertThat(tracing.capturesContent()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "OTEL_EXPORTER_OTLP_PROTOCOL, http/json",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, thrift",
            "OTEL_EXPORTER_OTLP_ENDPOINT, ftp://collector:4318",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, not a url",
            "OTEL_SDK_DISABLED, maybe",
            "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT, yes",
            "OTEL_TRACES_EXPORTER, zipkin",
            "OTEL_TRACES_SAMPLER, sometimes",
            "OTEL_TRACES_SAMPLER_ARG, half",
            "OTEL_BSP_SCHEDULE_DELAY, soon",
            "OTEL_PROPAGATORS, smoke-signals",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, http://collector:4317/v1/traces?tenant=a",
    })
    void a_setting_tracing_cannot_work_with_fails_naming_its_variable(String variable, String value) {
        Map<String, String> env = new HashMap<>(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT,
                "OTEL_TRACES_SAMPLER", "traceidratio"));
        env.put(variable, value);

        assertThatThrownBy(() -> OpenTelemetryTracing.fromEnvironment(env).ifPresent(OpenTelemetryTracing::close))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(variable);
    }

    @Test
    void headers_the_sdk_refuses_fail_naming_their_variable_without_showing_the_key_in_them() {
        Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", ENDPOINT,
                "OTEL_EXPORTER_OTLP_HEADERS", "Authorization Bearer s3cret-key-of-the-backend");

        assertThatThrownBy(() -> OpenTelemetryTracing.fromEnvironment(env).ifPresent(OpenTelemetryTracing::close))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS")
                .hasNoCause()
                .satisfies(refused -> assertThat(refused.getMessage()).doesNotContain("s3cret"));
    }

    private static OpenTelemetryTracing on(Map<String, String> env) {
        Optional<OpenTelemetryTracing> tracing = OpenTelemetryTracing.fromEnvironment(env);
        assertThat(tracing).as("tracing on").isPresent();
        return tracing.get();
    }
}
