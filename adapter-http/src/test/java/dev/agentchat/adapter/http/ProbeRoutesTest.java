package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.ports.health.ReadinessService;
import dev.agentchat.ports.health.RequiredDependency;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /health/ready}: ready while every required dependency answers, 503 naming the one that does not and
 * once the service drains; {@code /health/live}: alive without asking anything.
 */
class ProbeRoutesTest {
    /** A store that answers or not, as the test says, counting how often it is asked. */
    private static final class Store implements RequiredDependency {
        volatile Optional<String> problem = Optional.empty();
        final AtomicInteger asked = new AtomicInteger();

        @Override
        public String name() {
            return "cosmos-db";
        }

        @Override
        public Optional<String> problem() {
            asked.incrementAndGet();
            return problem;
        }
    }

    private final Store store = new Store();
    private final ReadinessService readiness = new ReadinessService(List.of(store));
    private ApiOverMemory service;
    private ApiClient client;

    @BeforeEach
    void start() {
        service = ApiOverMemory.watchedBy(Observability.none().withReadiness(readiness), UnaryOperator.identity());
        client = new ApiClient(service.port());
    }

    @AfterEach
    void stop() {
        client.close();
        service.close();
    }

    @Test
    void the_service_is_ready_while_its_store_answers() {
        ApiClient.Answer answer = client.get("/health/ready");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"READY\"}");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void readiness_flips_to_503_while_the_store_does_not_answer_and_back_once_it_does() {
        store.problem = Optional.of("Connection refused");

        ApiClient.Answer down = client.get("/health/ready");
        store.problem = Optional.empty();
        ApiClient.Answer up = client.get("/health/ready");

        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("{\"status\":\"NOT_READY\",\"problems\":[\"cosmos-db: Connection refused\"]}");
        assertThat(up.status()).isEqualTo(200);
    }

    @Test
    void once_the_service_drains_it_is_never_ready_again() {
        ApiClient.Answer before = client.get("/health/ready");

        readiness.drain();

        ApiClient.Answer draining = client.get("/health/ready");
        assertThat(before.status()).isEqualTo(200);
        assertThat(draining.status()).isEqualTo(503);
        assertThat(draining.json().get("status").asText()).isEqualTo("NOT_READY");
        assertThat(draining.json().get("problems").get(0).asText()).contains("draining");
    }

    @Test
    void liveness_answers_up_without_asking_any_dependency_even_one_that_does_not_answer() {
        store.problem = Optional.of("Connection refused");

        ApiClient.Answer answer = client.get("/health/live");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(store.asked).hasValue(0);
    }

    @Test
    void the_probes_take_only_get_and_head() {
        assertThat(client.delete("/health/ready").status()).isEqualTo(405);
        assertThat(client.post("/health/live", "{}").status()).isEqualTo(405);
        assertThat(client.send(client.request("/health/live").method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()))
                .status()).isEqualTo(200);
    }

    @Test
    void health_stays_as_it_was() {
        ApiClient.Answer answer = client.get("/health");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"UP\"}");
    }
}
