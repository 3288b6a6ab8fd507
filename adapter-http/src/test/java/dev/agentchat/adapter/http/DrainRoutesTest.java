package dev.agentchat.adapter.http;

import static dev.agentchat.adapter.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.chat.FinishReason;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An instance that drains for shutdown, over a real socket: a new chat is 503 {@code service_draining} with
 * {@code Retry-After: 1} and stores nothing, while the run in flight can still be read and cancelled.
 */
class DrainRoutesTest {
    @RegisterExtension
    final RunningApi api = new RunningApi();

    private final CompletableFuture<Void> release = new CompletableFuture<>();
    /** The held chat's client: it blocks on its stream until the run ends. */
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() {
        api.client().createAgent("helper");
    }

    @AfterEach
    void letHeldRunsEnd() {
        release.complete(null);
        clients.close();
    }

    @Test
    void a_new_chat_is_503_with_retry_after_while_the_run_in_flight_is_still_read_and_cancelled() throws Exception {
        // given a run in flight, followed by its client
        api.service().model.reply(Reply.builder().text("Half ").await(release).text("never").finish(FinishReason.STOP).build());
        CompletableFuture<List<JsonNode>> held = CompletableFuture.supplyAsync(
                () -> api.client().chat("helper", json("message", "hold")), clients);
        await().atMost(Duration.ofSeconds(10)).until(() -> api.service().model.requests().size() == 1);
        JsonNode thread = api.client().get("/api/agents/helper/threads").json().get("threads").get(0);

        // when the instance drains, and a new chat comes
        api.service().drain();
        ApiClient.Answer refused = api.client().send(api.client().request("/api/agents/helper/chat")
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(json("message", "one more"))));

        // then it is refused as a balancer retries elsewhere, and nothing of it is stored
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().get("code").asText()).isEqualTo("service_draining");
        assertThat(api.client().get("/api/agents/helper/threads").json().get("total").asInt()).isEqualTo(1);
        // and the run in flight is still there to read and to cancel
        String run = "/api/agents/helper/threads/" + thread.get("id").asText() + "/runs/" + thread.get("active_run_id").asText();
        assertThat(api.client().get(run).status()).isEqualTo(200);
        assertThat(api.client().post(run + "/cancel", "").status()).isBetween(200, 299);
        List<JsonNode> events = held.get(10, TimeUnit.SECONDS);
        assertThat(events.getLast().get("type").asText()).isEqualTo("error");
        assertThat(events.getLast().get("code").asText()).isEqualTo("cancelled");
    }
}
