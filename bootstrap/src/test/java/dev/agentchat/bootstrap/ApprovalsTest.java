package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.DemoChatModel;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.ports.chat.ModelMessage;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped ops-assistant asks before it runs the calculator, on the service as it is deployed: the offline demo
 * model asks for it ("What is 12 * 7?"), the owner decides over HTTP, and the demo quotes what the tool answered (or
 * what it was told instead), so each decision shows in the answer. Authentication is on, so a stranger is a stranger.
 */
class ApprovalsTest {
    private static final String ALICE = "alice-key-for-approvals-0123";
    private static final String BOB = "bob-key-for-approvals-0123";
    private static final String OPS = "/api/agents/ops-assistant";
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path directory;
    private ServiceUnderTest service;
    private ServiceUnderTest second;

    @AfterEach
    void stop() {
        if (second != null) {
            second.close();
        }
        if (service != null) {
            service.close();
        }
    }

    private void start(Map<String, String> more) throws IOException {
        Path keys = Files.writeString(directory.resolve("api-keys"), sha256(ALICE) + " alice\n" + sha256(BOB) + " bob\n");
        Map<String, String> settings = new HashMap<>(more);
        settings.put("API_KEYS_FILE", keys.toString());
        service = new ServiceUnderTest(settings, components -> components.model(new DemoChatModel(Duration.ZERO)));
    }

    @Test
    void an_approved_call_runs_and_the_answer_finishes_in_the_same_stream_and_the_run_records_who_decided()
            throws IOException {
        start(Map.of());
        try (SseStream stream = ask(service, "What is 12 * 7?")) {
            JsonNode asked = awaitApprovalRequired(stream);
            assertThat(asked.get("tool").asText()).isEqualTo("calculator");
            assertThat(parse(asked.get("arguments").asText()).get("expression").asText()).isEqualTo("12 * 7");
            String run = runPath(stream);
            JsonNode waiting = parse(as(service, ALICE, "GET", run, null).body());
            assertThat(waiting.get("status").asText()).isEqualTo("requires_action");
            assertThat(waiting.get("pending_approvals")).hasSize(1);

            HttpResponse<String> decided = decide(service, ALICE, run, asked, true, "Looks right.");

            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
            SseStream.Frames rest = stream.readToEnd();
            assertThat(rest.types()).startsWith("trace_start", "trace_end").endsWith("done");
            assertThat(rest.events().get(1).data().get("output").asText()).contains("84");
            assertThat(rest.tokens()).contains("84");
            JsonNode finished = parse(as(service, ALICE, "GET", run, null).body());
            assertThat(finished.get("status").asText()).isEqualTo("completed");
            JsonNode approval = toolStep(finished).get("approval");
            assertThat(approval.get("approved").asBoolean()).isTrue();
            assertThat(approval.get("decided_by").asText()).isEqualTo("alice");

            HttpResponse<String> again = decide(service, ALICE, run, asked, true, "Looks right.");
            HttpResponse<String> otherwise = decide(service, ALICE, run, asked, false, null);

            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(parse(again.body()).get("status").asText()).isEqualTo("completed");
            assertThat(otherwise.statusCode()).isEqualTo(409);
            assertThat(parse(otherwise.body()).get("code").asText()).isEqualTo("approval_conflict");
        }
    }

    @Test
    void a_denied_call_is_not_run_and_the_model_is_told_the_reason() throws IOException {
        start(Map.of());
        try (SseStream stream = ask(service, "What is 12 * 7?")) {
            JsonNode asked = awaitApprovalRequired(stream);

            assertThat(decide(service, ALICE, runPath(stream), asked, false, "Not during the freeze").statusCode())
                    .isEqualTo(200);

            SseStream.Frames rest = stream.readToEnd();
            assertThat(rest.types().getFirst()).isEqualTo("trace_end");
            assertThat(rest.events().getFirst().data().get("status").asText()).isEqualTo("denied");
            // The demo model quotes the tool result it was given: the denial, with the person's reason.
            assertThat(rest.tokens()).contains("The user denied this tool call: Not during the freeze").doesNotContain("84");
            rest.last("done");
            assertThat(toolStep(parse(as(service, ALICE, "GET", runPath(stream), null).body())).get("status").asText())
                    .isEqualTo("denied");
        }
    }

    @Test
    void an_approval_with_edited_arguments_runs_the_call_with_them() throws IOException {
        start(Map.of());
        try (SseStream stream = ask(service, "What is 12 * 7?")) {
            JsonNode asked = awaitApprovalRequired(stream);
            String decision = "{\"decisions\":[{\"step_id\":\"" + asked.get("step_id").asText()
                    + "\",\"approved\":true,\"arguments\":{\"expression\":\"6 * 7\"}}]}";

            assertThat(as(service, ALICE, "POST", runPath(stream) + "/approvals", decision).statusCode()).isEqualTo(200);

            SseStream.Frames rest = stream.readToEnd();
            assertThat(rest.events().getFirst().data().get("arguments").asText()).isEqualTo("{\"expression\":\"6 * 7\"}");
            assertThat(rest.tokens()).contains("42").doesNotContain("84");
        }
    }

    @Test
    void a_call_nobody_decides_expires_as_denied_and_a_decision_after_that_is_too_late() throws IOException {
        // The sweep that expires calls runs every ABANDONED_RUN_GRACE_SECONDS.
        start(Map.of("APPROVAL_TIMEOUT_SECONDS", "1", "ABANDONED_RUN_GRACE_SECONDS", "1"));
        try (SseStream stream = ask(service, "What is 12 * 7?")) {
            JsonNode asked = awaitApprovalRequired(stream);

            SseStream.Frames rest = stream.readToEnd();

            assertThat(rest.events().getFirst().data().get("status").asText()).isEqualTo("denied");
            assertThat(rest.tokens()).contains("Nobody approved this tool call within 1 seconds");
            rest.last("done");
            JsonNode step = toolStep(parse(as(service, ALICE, "GET", runPath(stream), null).body()));
            assertThat(step.get("approval").get("expired").asBoolean()).isTrue();
            assertThat(step.get("approval").get("decided_by").isNull()).isTrue();
            HttpResponse<String> late = decide(service, ALICE, runPath(stream), asked, true, null);
            assertThat(late.statusCode()).isEqualTo(409);
            assertThat(parse(late.body()).get("code").asText()).isEqualTo("approval_expired");
        }
    }

    @Test
    void a_waiting_run_holds_its_thread_until_it_is_cancelled_which_ends_it_at_once() throws IOException {
        start(Map.of());
        try (SseStream stream = ask(service, "What is 12 * 7?")) {
            awaitApprovalRequired(stream);
            String thread = OPS + "/threads/" + stream.header("X-Thread-Id");

            HttpResponse<String> busy = as(service, ALICE, "POST", OPS + "/chat",
                    body("message", "Hello?", "thread_id", stream.header("X-Thread-Id"), "stream", false));
            HttpResponse<String> cancelled = as(service, ALICE, "POST", runPath(stream) + "/cancel", null);

            assertThat(busy.statusCode()).isEqualTo(409);
            assertThat(parse(busy.body()).get("code").asText()).isEqualTo("thread_busy");
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
            assertThat(parse(cancelled.body()).get("status").asText()).isEqualTo("cancelled");
            SseStream.Frames rest = stream.readToEnd();
            assertThat(rest.types()).containsExactly("trace_end", "error");
            assertThat(rest.events().getFirst().data().get("status").asText()).isEqualTo("cancelled");
            assertThat(rest.last("error").get("code").asText()).isEqualTo("cancelled");
            assertThat(parse(as(service, ALICE, "GET", thread, null).body()).get("active_run_id").isNull()).isTrue();
            HttpResponse<String> next = as(service, ALICE, "POST", OPS + "/chat",
                    body("message", "Hello again", "thread_id", stream.header("X-Thread-Id"), "stream", false));
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        }
    }

    @Test
    void only_the_owner_may_decide_and_to_anyone_else_the_run_does_not_exist() throws IOException {
        start(Map.of());
        try (SseStream stream = ask(service, "What is 12 * 7?")) {
            JsonNode asked = awaitApprovalRequired(stream);

            HttpResponse<String> strangers = decide(service, BOB, runPath(stream), asked, true, null);

            assertThat(strangers.statusCode()).isEqualTo(404);
            assertThat(parse(as(service, ALICE, "GET", runPath(stream), null).body()).get("status").asText())
                    .isEqualTo("requires_action");
        }
    }

    @Test
    void a_decision_sent_to_another_instance_resumes_the_run_there_and_the_first_instances_stream_gets_the_rest()
            throws IOException {
        start(Map.of());
        // The second instance's model is a scripted one: what it is asked shows the run's conversation came from the store.
        second = service.anotherInstance();
        second.model.reply(Reply.text("12 * 7 is ", "84."));
        try (SseStream stream = ask(service, "What is 12 * 7?")) {
            JsonNode asked = awaitApprovalRequired(stream);

            HttpResponse<String> decided = decide(second, ALICE, runPath(stream), asked, true, null);

            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
            SseStream.Frames rest = stream.readToEnd();
            assertThat(rest.types()).startsWith("trace_start", "trace_end").endsWith("done");
            assertThat(rest.tokens()).isEqualTo("12 * 7 is 84.");
            List<ModelMessage> conversation = second.model.requests().getLast().messages();
            assertThat(conversation.getFirst()).isEqualTo(new ModelMessage.User("What is 12 * 7?"));
            assertThat(conversation.getLast()).isInstanceOf(ModelMessage.ToolResult.class);
            assertThat(conversation.getLast().content()).contains("84");
            JsonNode finished = parse(as(second, ALICE, "GET", runPath(stream), null).body());
            assertThat(finished.get("status").asText()).isEqualTo("completed");
            assertThat(parse(as(service, ALICE, "GET", runPath(stream), null).body())).isEqualTo(finished);
        }
    }

    private static SseStream ask(ServiceUnderTest on, String message) {
        return on.chat("ops-assistant", body("message", message), "Authorization", "Bearer " + ALICE);
    }

    private static JsonNode awaitApprovalRequired(SseStream stream) {
        List<SseStream.Frame> first = stream.nextEvents(1);
        assertThat(first.getFirst().type()).as("the first event of a paused run").isEqualTo("approval_required");
        return first.getFirst().data();
    }

    private static String runPath(SseStream stream) {
        return OPS + "/threads/" + stream.header("X-Thread-Id") + "/runs/" + stream.header("X-Run-Id");
    }

    private static HttpResponse<String> decide(ServiceUnderTest on, String key, String run, JsonNode asked, boolean approved,
                                               String reason) {
        String decision = body("step_id", asked.get("step_id").asText(), "approved", approved, "reason", reason);
        return as(on, key, "POST", run + "/approvals", "{\"decisions\":[" + decision + "]}");
    }

    private static HttpResponse<String> as(ServiceUnderTest on, String key, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(on.uri(path)).header("Authorization", "Bearer " + key)
                .header("Accept", "application/json");
        if (json == null) {
            return on.send(request.method(method, HttpRequest.BodyPublishers.noBody()));
        }
        return on.send(request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    private static JsonNode toolStep(JsonNode run) {
        for (JsonNode step : run.get("steps")) {
            if (step.get("type").asText().equals("tool_call")) {
                return step;
            }
        }
        throw new AssertionError("no tool call in " + run);
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
