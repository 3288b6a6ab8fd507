package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThreadsApiTest {
    private ServiceUnderTest service;

    @BeforeEach
    void start() {
        service = new ServiceUnderTest();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void listing_pages_threads_newest_first_with_the_total() {
        List<String> opened = openThreads("support-triage", 5);

        JsonNode page = parse(service.get("/api/agents/support-triage/threads?limit=2&offset=1").body());

        assertThat(ids(page)).containsExactly(opened.get(3), opened.get(2));
        assertThat(page.get("total").asLong()).isEqualTo(5);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        JsonNode whole = parse(service.get("/api/agents/support-triage/threads").body());
        assertThat(ids(whole)).containsExactly(opened.reversed().toArray(String[]::new));
        assertThat(whole.get("limit").asInt()).isEqualTo(20);
        JsonNode beyond = parse(service.get("/api/agents/support-triage/threads?offset=10").body());
        assertThat(ids(beyond)).isEmpty();
        assertThat(beyond.get("total").asLong()).isEqualTo(5);
    }

    @Test
    void a_thread_is_titled_after_its_first_message_and_says_whose_it_is() {
        String threadId = openThread("support-triage", "  Printer on floor 3\n keeps jamming  ");

        JsonNode thread = parse(service.get("/api/agents/support-triage/threads/" + threadId).body());

        assertThat(thread.get("title").asText()).isEqualTo("Printer on floor 3 keeps jamming");
        assertThat(thread.get("agent_id").asText()).isEqualTo("support-triage");
        assertThat(thread.get("user_id").asText()).isEqualTo("anonymous");
        assertThat(thread.get("status").asText()).isEqualTo("active");
        assertThat(thread.get("messages")).extracting(m -> m.get("role").asText()).containsExactly("user", "assistant");
    }

    @Test
    void continuing_a_thread_moves_it_to_the_top_of_the_listing() {
        List<String> opened = openThreads("support-triage", 3);
        awaitNextMillisecond();
        service.model.reply(Reply.text("again"));
        service.chatToDone("support-triage", body("message", "more", "thread_id", opened.getFirst()));

        JsonNode page = parse(service.get("/api/agents/support-triage/threads").body());

        assertThat(ids(page)).containsExactly(opened.get(0), opened.get(2), opened.get(1));
    }

    @Test
    void soft_deleted_threads_are_hidden_unless_asked_for_by_status() {
        List<String> opened = openThreads("support-triage", 3);

        var deleted = service.delete("/api/agents/support-triage/threads/" + opened.get(1));

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(ids(list("status=active"))).containsExactly(opened.get(2), opened.get(0));
        assertThat(ids(list(""))).containsExactly(opened.get(2), opened.get(0));
        assertThat(ids(list("status=deleted"))).containsExactly(opened.get(1));
        assertThat(ids(list("status=all"))).containsExactlyInAnyOrderElementsOf(opened);
        assertThat(list("status=all").get("total").asLong()).isEqualTo(3);
    }

    @Test
    void a_soft_deleted_thread_stays_readable_but_takes_no_new_messages() {
        String threadId = openThread("support-triage", "Keep me");
        service.delete("/api/agents/support-triage/threads/" + threadId);

        JsonNode thread = parse(service.get("/api/agents/support-triage/threads/" + threadId).body());
        var chat = service.postJson("/api/agents/support-triage/chat", body("message", "hello?", "thread_id", threadId, "stream", false));
        var again = service.delete("/api/agents/support-triage/threads/" + threadId);

        assertThat(thread.get("status").asText()).isEqualTo("deleted");
        assertThat(thread.get("messages")).hasSize(2);
        assertThat(chat.statusCode()).isEqualTo(409);
        assertThat(parse(chat.body()).get("code").asText()).isEqualTo("thread_deleted");
        assertThat(again.statusCode()).as("soft delete is idempotent").isEqualTo(204);
        assertThat(service.components.messages().listByThread(ThreadId.of(threadId))).hasSize(2);
    }

    @Test
    void hard_delete_removes_the_thread_and_everything_in_it() {
        String threadId = openThread("support-triage", "Forget me");
        String otherId = openThread("support-triage", "Keep me");

        var deleted = service.delete("/api/agents/support-triage/threads/" + threadId + "?hard_delete=true");

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(service.get("/api/agents/support-triage/threads/" + threadId).statusCode()).isEqualTo(404);
        assertThat(service.delete("/api/agents/support-triage/threads/" + threadId + "?hard_delete=true").statusCode()).isEqualTo(404);
        assertThat(ids(list("status=all"))).containsExactly(otherId);
        assertThat(service.components.messages().listByThread(ThreadId.of(threadId))).isEmpty();
        assertThat(service.components.runs().listByThread(ThreadId.of(threadId))).isEmpty();
        assertThat(service.components.messages().listByThread(ThreadId.of(otherId))).hasSize(2);
        assertThat(service.components.runs().listByThread(ThreadId.of(otherId))).hasSize(1);
    }

    @Test
    void a_thread_with_a_run_in_progress_cannot_be_hard_deleted_until_the_run_ends() {
        service.model.reply(Reply.builder().text("thinking").hang().build());
        try (SseStream stream = service.chat("support-triage", body("message", "Slow one"))) {
            String threadId = stream.header("X-Thread-Id");
            String runId = stream.header("X-Run-Id");
            assertThat(stream.next(java.time.Duration.ofSeconds(5)).type()).isEqualTo("token");

            var refused = service.delete("/api/agents/support-triage/threads/" + threadId + "?hard_delete=true");

            assertThat(refused.statusCode()).isEqualTo(409);
            JsonNode problem = parse(refused.body());
            assertThat(problem.get("code").asText()).isEqualTo("thread_busy");
            assertThat(problem.get("run_id").asText()).isEqualTo(runId);
            assertThat(service.get("/api/agents/support-triage/threads/" + threadId).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void a_thread_named_through_another_agents_path_does_not_exist() {
        String threadId = openThread("support-triage", "Mine");

        assertThat(service.get("/api/agents/ops-assistant/threads/" + threadId).statusCode()).isEqualTo(404);
        assertThat(service.delete("/api/agents/ops-assistant/threads/" + threadId + "?hard_delete=true").statusCode()).isEqualTo(404);
        var chat = service.postJson("/api/agents/ops-assistant/chat", body("message", "hi", "thread_id", threadId, "stream", false));
        assertThat(chat.statusCode()).isEqualTo(404);
        assertThat(parse(chat.body()).get("code").asText()).isEqualTo("thread_not_found");
        assertThat(ids(parse(service.get("/api/agents/ops-assistant/threads?status=all").body()))).isEmpty();
        assertThat(service.get("/api/agents/support-triage/threads/" + threadId).statusCode()).isEqualTo(200);
    }

    @Test
    void an_alias_reaches_the_same_agent_and_threads() {
        String threadId = openThread("azure-ops", "Alias first");

        JsonNode thread = parse(service.get("/api/agents/ops-assistant/threads/" + threadId).body());

        assertThat(thread.get("agent_id").asText()).isEqualTo("ops-assistant");
        assertThat(ids(parse(service.get("/api/agents/azure-ops/threads").body()))).containsExactly(threadId);
    }

    private JsonNode list(String query) {
        return parse(service.get("/api/agents/support-triage/threads?" + query).body());
    }

    private List<String> openThreads(String agent, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(openThread(agent, "Question " + i));
            awaitNextMillisecond();
        }
        return ids;
    }

    /** Waits until the service's clock reads a later millisecond: distinct timestamps, so "newest first" is well defined. */
    private static void awaitNextMillisecond() {
        Instant last = Clock.system().now();
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> Clock.system().now().isAfter(last));
    }

    private String openThread(String agent, String message) {
        service.model.reply(Reply.text("Answer to " + message));
        return service.chatToDone(agent, body("message", message)).get("thread_id").asText();
    }

    private static List<String> ids(JsonNode page) {
        return StreamSupport.stream(page.get("threads").spliterator(), false).map(t -> t.get("id").asText()).toList();
    }
}
