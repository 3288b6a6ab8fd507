package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: the metrics as given, with their content type and never cached; no metrics, no path. */
class MetricsRoutesTest {

    @Test
    void the_metrics_are_served_as_their_reader_gives_them_and_never_cached() {
        try (ApiOverMemory service = ApiOverMemory.watchedBy(Observability.none().withMetrics(ApiOverMemory.METRICS),
                UnaryOperator.identity()); ApiClient client = new ApiClient(service.port())) {
            ApiClient.Answer answer = client.get("/metrics");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
            assertThat(answer.body()).isEqualTo("# TYPE agentchat_up gauge\nagentchat_up 1\n");
        }
    }

    @Test
    void metrics_are_read_with_get_only() {
        try (ApiOverMemory service = ApiOverMemory.watchedBy(Observability.none().withMetrics(ApiOverMemory.METRICS),
                UnaryOperator.identity()); ApiClient client = new ApiClient(service.port())) {
            ApiClient.Answer answer = client.send(client.request("/metrics").POST(HttpRequest.BodyPublishers.noBody()));

            assertThat(answer.status()).isEqualTo(405);
            assertThat(answer.header("Allow")).isEqualTo("GET");
        }
    }

    @Test
    void without_metrics_there_is_no_such_path() {
        try (ApiOverMemory service = ApiOverMemory.watchedBy(Observability.none(), UnaryOperator.identity());
             ApiClient client = new ApiClient(service.port())) {
            ApiClient.Answer answer = client.get("/metrics");

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.json().get("code").asText()).isEqualTo("not_found");
        }
    }

    @Test
    void the_document_lists_the_probes_and_the_metrics() {
        assertThat(ApiDocument.get().operations()).contains("GET /health/live", "GET /health/ready", "GET /metrics");
    }
}
