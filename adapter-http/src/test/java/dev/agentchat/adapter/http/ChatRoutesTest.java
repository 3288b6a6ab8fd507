package dev.agentchat.adapter.http;

import static dev.agentchat.adapter.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The chat route: an answer streamed as Server-Sent Events, or sent whole as JSON. */
class ChatRoutesTest {
    @RegisterExtension
    final RunningApi api = new RunningApi();

    @BeforeEach
    void start() {
        api.client().createAgent("helper");
    }

    @Test
    void a_message_is_answered_with_a_stream_of_tokens_that_ends_with_done() {
        api.service().model.reply(Reply.text("Hello ", "there."));

        List<JsonNode> events = api.client().chat("helper", json("message", "Hi"));

        List<JsonNode> answer = events.stream().filter(event -> !event.get("type").asText().equals("heartbeat")).toList();
        assertThat(answer).extracting(event -> event.get("type").asText()).containsExactly("token", "token", "done");
        assertThat(answer.get(0).get("content").asText() + answer.get(1).get("content").asText()).isEqualTo("Hello there.");
        assertThat(answer.get(2).get("tokens_used").asLong()).isPositive();
    }

    @Test
    void a_message_sent_without_streaming_is_answered_with_one_json_document() {
        api.service().model.reply(Reply.text("Whole ", "answer."));

        ApiClient.Answer answer = api.client().send(api.client().request("/api/agents/helper/chat").header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json("message", "Hi", "stream", false))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("content").asText()).isEqualTo("Whole answer.");
        assertThat(answer.json().get("status").asText()).isEqualTo("completed");
    }

    @Test
    void a_model_that_fails_ends_the_stream_with_an_error_event() {
        api.service().model.reply(Reply.builder().text("Half ").fail("model_error", "The model failed.").build());

        List<JsonNode> events = api.client().chat("helper", json("message", "Hi"));

        assertThat(events.getLast().get("type").asText()).isEqualTo("error");
        assertThat(events.getLast().get("code").asText()).isEqualTo("model_error");
    }

    @Test
    void a_message_to_an_agent_that_does_not_exist_is_a_problem_not_a_stream() {
        ApiClient.Answer answer = api.client().send(api.client().request("/api/agents/nobody/chat").header("Content-Type", "application/json")
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(json("message", "Hi"))));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    }
}
