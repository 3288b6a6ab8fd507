package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import dev.agentchat.adapter.cosmos.CosmosStores;
import dev.agentchat.adapter.cosmos.CosmosTestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service as shipped ({@link Main}), on Cosmos DB, sent SIGTERM while a client follows a run and new
 * chats keep coming: it turns unready, refuses the new chats with 503 and {@code Retry-After} (what a balancer
 * retries elsewhere), lets the run finish within {@code DRAIN_SECONDS} or ends it {@code service_stopping}
 * past them, leaves no run in progress in the store, and writes every line of its shutdown.
 */
class DrainTest {
    private static final Path LOGS = Path.of("target", "drain");
    private static final String AGENT = "support-triage";
    /** The demo model's pause before each word: its answer of some forty words takes seconds. */
    private static final String WORD_PAUSE_MS = "150";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private ServiceProcess service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void a_run_in_flight_at_sigterm_finishes_within_the_drain_while_new_chats_are_refused_503() {
        // given a service that gives its runs 60 seconds to finish, and a client following a run
        String database = "agentchat-drain-" + UUID.randomUUID();
        service = ServiceProcess.startMain(settings(database, "60", "text"), LOGS.resolve("finishing.log"));
        SseStream stream = service.chat(AGENT, body("message", "Tell me a story."));
        assertThat(stream.nextEvents(1).getFirst().type()).as("the answer has begun").isEqualTo("token");

        // when it is told to stop, and a new chat comes
        service.terminate();
        await().atMost(PATIENCE).until(() -> service.get("/health/ready").statusCode() == 503);
        HttpResponse<String> refused = newChat();

        // then the new chat is refused as a balancer retries elsewhere, and the run goes on to its end
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.body()).contains("\"code\":\"service_draining\"");
        SseStream.Frames rest = stream.readToEnd();
        assertThat(rest.types()).endsWith("done");
        assertThat(service.awaitExit(PATIENCE)).as("exit status: 128 + SIGTERM, once the shutdown hook has run").isEqualTo(128 + 15);
        assertThat(service.output()).contains("agentchat is stopping", "Draining: not ready, starting no new run; 1 runs in flight",
                "Every run in flight has finished", "The HTTP server has stopped", "agentchat has stopped");
        assertNoRunInProgress(database);
    }

    @Test
    void a_run_still_going_when_the_drain_ends_is_ended_service_stopping_and_the_json_log_says_so() {
        // given a service that gives its runs 1 second to finish, logging JSON, and a client following a longer run
        String database = "agentchat-drain-" + UUID.randomUUID();
        service = ServiceProcess.startMain(settings(database, "1", "json"), LOGS.resolve("stopping.log"));
        SseStream stream = service.chat(AGENT, body("message", "Tell me a story."));
        assertThat(stream.nextEvents(1).getFirst().type()).as("the answer has begun").isEqualTo("token");

        // when it is told to stop
        service.terminate();

        // then the run ends service_stopping, its end told to its client, and the shutdown's lines are in the log
        SseStream.Frames rest = stream.readToEnd();
        assertThat(rest.types()).endsWith("error");
        assertThat(rest.events().getLast().data().path("code").asText()).isEqualTo("service_stopping");
        assertThat(service.awaitExit(PATIENCE)).as("exit status: 128 + SIGTERM, once the shutdown hook has run").isEqualTo(128 + 15);
        assertThat(service.output()).contains("\"message\":\"agentchat is stopping\"",
                "Ended 1 runs still going after the drain (service_stopping)", "\"message\":\"agentchat has stopped\"");
        assertNoRunInProgress(database);
    }

    private HttpResponse<String> newChat() {
        return service.client().send(HttpRequest.newBuilder(service.client().uri("/api/agents/" + AGENT + "/chat"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body("message", "Hello?"))));
    }

    private static Map<String, String> settings(String database, String drainSeconds, String logFormat) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "COSMOS_ENDPOINT", CosmosTestServer.endpoint(),
                "COSMOS_KEY", CosmosTestServer.key(),
                "COSMOS_DATABASE_NAME", database,
                "DEMO_MODEL_DELAY_MS", WORD_PAUSE_MS,
                "DRAIN_SECONDS", drainSeconds,
                "LOG_FORMAT", logFormat));
        return settings;
    }

    /** What the stopped process left in the store: no run in progress. */
    private static void assertNoRunInProgress(String database) {
        try (CosmosClient client = new CosmosClientBuilder().endpoint(CosmosTestServer.endpoint()).key(CosmosTestServer.key())
                .gatewayMode().endpointDiscoveryEnabled(false).buildClient()) {
            CosmosStores stores = CosmosStores.open(client, database);
            assertThat(stores.runs().listUnfinished(Instant.now().plus(Duration.ofDays(1)), 100)).as("runs left unfinished").isEmpty();
        }
    }
}
