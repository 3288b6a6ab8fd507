package dev.agentchat.adapter.http;

import static dev.agentchat.adapter.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.ports.chat.ChatSettings;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A chat beyond the user's limit on runs in progress, over a real socket: 429, when to retry, and nothing stored. */
class ActiveRunLimitRoutesTest {
    private static final int LIMIT = ChatSettings.DEFAULT_MAX_ACTIVE_RUNS_PER_USER;

    @RegisterExtension
    final RunningApi api = new RunningApi();

    private final CompletableFuture<Void> release = new CompletableFuture<>();
    private final List<CompletableFuture<List<JsonNode>>> held = new ArrayList<>();
    /** The held chats' clients: each blocks on its stream until the run ends. */
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
    void a_chat_beyond_the_limit_is_429_with_retry_after_and_leaves_no_thread() throws Exception {
        for (int i = 0; i < LIMIT; i++) {
            api.service().model.reply(Reply.builder().await(release).text("held").finish(FinishReason.STOP).build());
            held.add(CompletableFuture.supplyAsync(() -> api.client().chat("helper", json("message", "hold")), clients));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> api.service().model.requests().size() == LIMIT);

        ApiClient.Answer refused = api.client().send(api.client().request("/api/agents/helper/chat")
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .header("Idempotency-Key", "one-too-many")
                .POST(HttpRequest.BodyPublishers.ofString(json("message", "one too many"))));

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        assertThat(refused.json().get("code").asText()).isEqualTo("too_many_active_runs");
        assertThat(refused.json().get("max_active_runs").asInt()).isEqualTo(LIMIT);
        assertThat(api.client().get("/api/agents/helper/threads").json().get("total").asInt()).isEqualTo(LIMIT);

        release.complete(null);
        for (CompletableFuture<List<JsonNode>> run : held) {
            assertThat(run.get(10, TimeUnit.SECONDS).getLast().get("type").asText()).isEqualTo("done");
        }
    }
}
