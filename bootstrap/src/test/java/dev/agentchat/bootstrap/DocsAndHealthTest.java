package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DocsAndHealthTest {
    private static ServiceUnderTest service;

    @BeforeAll
    static void start() {
        service = new ServiceUnderTest();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void the_openapi_document_describes_every_endpoint() {
        HttpResponse<String> document = service.get("/openapi");

        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body())
                .contains("/api/agents:")
                .contains("/api/agents/{agentId}:")
                .contains("If-Match")
                .contains("/api/agents/{agentId}/chat:")
                .contains("/api/agents/{agentId}/threads:")
                .contains("/api/agents/{agentId}/threads/{threadId}:")
                .contains("hard_delete")
                .contains("/api/agents/{agentId}/threads/{threadId}/runs:")
                .contains("/api/agents/{agentId}/threads/{threadId}/runs/{runId}:")
                .contains("/api/agents/{agentId}/threads/{threadId}/runs/{runId}/cancel:")
                .contains("/api/agents/{agentId}/threads/{threadId}/runs/{runId}/events:")
                .contains("Last-Event-ID")
                .contains("Idempotency-Key")
                .contains("text/event-stream")
                .contains("application/problem+json");
    }

    @Test
    void docs_serves_a_swagger_ui() {
        HttpResponse<String> redirect = service.get("/docs");
        HttpResponse<String> page = service.send(HttpRequest.newBuilder(service.uri("/docs/index.html"))
                .header("Accept", "text/html").GET());

        assertThat(redirect.statusCode()).isIn(200, 301, 302, 307, 308);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).containsIgnoringCase("swagger-ui");
    }

    @Test
    void health_says_up() {
        HttpResponse<String> health = service.get("/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ServiceUnderTest.parse(health.body()).get("status").asText()).isEqualTo("UP");
    }
}
