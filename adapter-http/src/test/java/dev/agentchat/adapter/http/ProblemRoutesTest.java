package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a request no route serves is answered with: a problem (RFC 9457), never a bare error page. */
class ProblemRoutesTest {
    @RegisterExtension
    final RunningApi api = new RunningApi();

    @Test
    void a_path_no_route_takes_is_a_not_found_problem() {
        ApiClient.Answer answer = api.client().get("/api/nothing-here");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void a_method_a_route_does_not_take_is_refused_with_the_methods_it_does() {
        ApiClient.Answer answer = api.client().send(api.client().request("/health").DELETE());

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.header("Allow")).isEqualTo("GET");
        assertThat(answer.json().get("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void an_accept_header_that_cannot_be_read_is_a_bad_request_on_every_route_the_documents_included() {
        for (String path : new String[] {"/openapi", "/health", "/api/agents"}) {
            ApiClient.Answer answer = api.client().send(api.client().request(path)
                    .header("Accept", "text/event-stream; charset=\"").GET());

            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(path).startsWith("application/problem+json");
        }
    }

    @Test
    void a_body_that_is_not_json_is_a_bad_request() {
        ApiClient.Answer answer = api.client().post("/api/agents/anyone/chat", "{not json");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void a_body_of_another_media_type_is_refused() {
        ApiClient.Answer answer = api.client().send(api.client().request("/api/agents/anyone/chat").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));

        assertThat(answer.status()).isEqualTo(415);
    }

    @Test
    void head_is_answered_as_get_without_a_body() {
        ApiClient.Answer answer = api.client().send(api.client().request("/health").HEAD());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEmpty();
        assertThat(api.client().get("/health").json().get("status").asText()).isEqualTo("UP");
    }
}
