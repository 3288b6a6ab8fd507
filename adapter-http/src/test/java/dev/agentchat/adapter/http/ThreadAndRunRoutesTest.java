package dev.agentchat.adapter.http;

import static dev.agentchat.adapter.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The routes that read back a conversation: threads, their runs, a run's events, and cancelling. */
class ThreadAndRunRoutesTest {
    @RegisterExtension
    final RunningApi api = new RunningApi();
    private JsonNode done;

    @BeforeEach
    void start() {
        api.client().createAgent("helper");
        api.service().model.reply(Reply.text("An ", "answer."));
        done = api.client().chat("helper", json("message", "A question")).getLast();
    }

    @Test
    void a_thread_is_listed_and_read_with_its_messages_and_runs() {
        String threadId = done.get("thread_id").asText();

        JsonNode page = api.client().get("/api/agents/helper/threads").json();
        JsonNode thread = api.client().get("/api/agents/helper/threads/" + threadId).json();

        assertThat(page.get("threads")).extracting(listed -> listed.get("id").asText()).containsExactly(threadId);
        assertThat(thread.get("messages")).extracting(message -> message.get("role").asText()).containsExactly("user", "assistant");
        assertThat(thread.get("runs")).extracting(run -> run.get("id").asText()).containsExactly(done.get("run_id").asText());
    }

    @Test
    void a_soft_deleted_thread_leaves_the_listing_and_a_hard_deleted_one_is_gone() {
        String thread = "/api/agents/helper/threads/" + done.get("thread_id").asText();

        assertThat(api.client().delete(thread).status()).isEqualTo(204);
        assertThat(api.client().get("/api/agents/helper/threads").json().get("total").asInt()).isZero();
        assertThat(api.client().get("/api/agents/helper/threads?status=deleted").json().get("total").asInt()).isEqualTo(1);
        assertThat(api.client().delete(thread + "?hard_delete=true").status()).isEqualTo(204);
        assertThat(api.client().get(thread).status()).isEqualTo(404);
    }

    @Test
    void a_run_is_listed_read_and_its_events_replayed_in_order() {
        String runs = "/api/agents/helper/threads/" + done.get("thread_id").asText() + "/runs";
        String run = runs + "/" + done.get("run_id").asText();

        JsonNode listed = api.client().get(runs).json();
        JsonNode read = api.client().get(run).json();
        List<JsonNode> replayed = api.client().stream(api.client().request(run + "/events?after=0").GET());

        assertThat(listed.get("runs")).hasSize(1);
        assertThat(read.get("status").asText()).isEqualTo("completed");
        assertThat(replayed).extracting(event -> event.get("type").asText()).containsExactly("token", "token", "done");
        assertThat(replayed.getLast()).isEqualTo(done);
    }

    @Test
    void cancelling_a_run_that_has_ended_is_refused_with_how_it_ended() {
        String run = "/api/agents/helper/threads/" + done.get("thread_id").asText() + "/runs/" + done.get("run_id").asText();

        ApiClient.Answer refused = api.client().post(run + "/cancel", "");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asText()).isEqualTo("run_finished");
        assertThat(refused.json().get("run_status").asText()).isEqualTo("completed");
    }
}
