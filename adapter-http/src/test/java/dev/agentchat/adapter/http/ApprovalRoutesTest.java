package dev.agentchat.adapter.http;

import static dev.agentchat.adapter.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.auth.Authentication;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.time.ManualClock;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.auth.ApiKeys;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deciding the tool calls a run waits for, over a real socket: the chat stream stays open through the pause
 * and goes on once the owner decides, every read shows what waits, and each wrong decision gets its own
 * answer. Every answer and event is checked against the API document by {@link ApiClient}.
 */
class ApprovalRoutesTest {
    private static final String ALICE_KEY = "alice-key-0123456789abcdef";
    private static final String BOB_KEY = "bob-key-0123456789abcdef";
    private static final String SIX_SEVENS = "{\"expression\":\"6*7\"}";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private ApiOverMemory service;
    private ApiClient client;
    private ApiClient.OpenStream stream;

    @AfterEach
    void stop() {
        if (stream != null) {
            stream.close();
        }
        client.close();
        service.close();
    }

    /** Alice and Bob with keys of their own, and an agent whose calculator waits for approval. */
    private void start() {
        ApiKeys keys = ApiKeys.none()
                .with(ApiKeys.Entry.forKey(ALICE_KEY, UserId.of("alice"), Set.of()))
                .with(ApiKeys.Entry.forKey(BOB_KEY, UserId.of("bob"), Set.of()))
                .with(ApiKeys.Entry.forKey(ApiOverMemory.ADMIN_KEY, UserId.of("admin"),
                        Set.of(Authentication.DEFAULT_ADMIN_ROLE)));
        service = new ApiOverMemory(Authentication.by(keys, Authentication.DEFAULT_ADMIN_ROLE, Optional.empty()), List.of());
        client = new ApiClient(service.port());
        createCarefulAgent();
    }

    private void createCarefulAgent() {
        service.tools.tool("calculator", (arguments, progress) -> new ToolOutcome.Succeeded("computed " + arguments));
        service.tools.tool("current_time", (arguments, progress) -> new ToolOutcome.Succeeded("noon"));
        ApiClient.Answer created = client.asAdmin("POST", "/api/agents", json("id", "careful", "name", "Careful",
                "instructions", "Ask first.", "tools", List.of("calculator", "current_time"),
                "approval_required", List.of("calculator")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("approval_required")).extracting(JsonNode::asText).containsExactly("calculator");
    }

    @Test
    void the_stream_stays_open_through_the_pause_and_an_approval_runs_the_call_and_finishes_the_answer() {
        start();
        service.model.reply(asksFor(SIX_SEVENS)).reply(Reply.text("It is ", "42."));
        stream = chat(ALICE_KEY, "What is 6*7?");
        JsonNode asked = awaitApprovalRequired();

        JsonNode waiting = as(ALICE_KEY, "GET", run(), null).json();
        assertThat(waiting.get("status").asText()).isEqualTo("requires_action");
        assertThat(waiting.get("pending_approvals")).singleElement().satisfies(pending -> {
            assertThat(pending.get("step_id").asText()).isEqualTo(asked.get("step_id").asText());
            assertThat(pending.get("tool").asText()).isEqualTo("calculator");
            assertThat(pending.get("arguments").asText()).isEqualTo(SIX_SEVENS);
            assertThat(pending.get("expires_at").asText()).isEqualTo(asked.get("expires_at").asText());
        });
        assertThat(waiting.get("steps")).filteredOn(step -> step.get("type").asText().equals("tool_call"))
                .singleElement().satisfies(step -> assertThat(step.get("status").asText()).isEqualTo("awaiting_approval"));
        JsonNode thread = as(ALICE_KEY, "GET", threadPath(), null).json();
        assertThat(thread.get("active_run_id").asText()).isEqualTo(stream.header("X-Run-Id"));
        assertThat(thread.get("runs").get(0).get("pending_approvals")).hasSize(1);
        assertThat(as(ALICE_KEY, "GET", threadPath() + "/runs", null).json().get("runs").get(0).get("pending_approvals"))
                .hasSize(1);
        assertThat(stream.ended()).as("the stream stays open while the run waits").isFalse();
        try (ApiClient.OpenStream rejoined = client.open(client.request(run() + "/events?after=0")
                .header("Authorization", "Bearer " + ALICE_KEY).GET())) {
            await().atMost(PATIENCE).until(() -> rejoined.types().contains("approval_required"));

            ApiClient.Answer decided = decide(ALICE_KEY, decision(asked, true, "Fine."));

            assertDecidedAndFinished(decided);
            await().atMost(PATIENCE).until(rejoined::ended);
            assertThat(withoutHeartbeats(rejoined)).as("a stream re-joined while the run waits crosses the pause too")
                    .isEqualTo(withoutHeartbeats(stream));
        }
    }

    private void assertDecidedAndFinished(ApiClient.Answer decided) {
        assertThat(decided.status()).as(decided.body()).isEqualTo(200);
        assertThat(decided.json().get("id").asText()).isEqualTo(stream.header("X-Run-Id"));
        assertThat(decided.json().get("pending_approvals")).isEmpty();
        JsonNode approval = toolStep(decided.json()).get("approval");
        assertThat(approval.get("approved").asBoolean()).isTrue();
        assertThat(approval.get("reason").asText()).isEqualTo("Fine.");
        assertThat(approval.get("decided_by").asText()).isEqualTo("alice");
        assertThat(approval.get("expired").asBoolean()).isFalse();
        await().atMost(PATIENCE).until(stream::ended);
        assertThat(stream.types()).containsExactly("token", "approval_required", "trace_start", "trace_end", "token",
                "token", "done");
        assertThat(stream.events()).filteredOn(event -> event.get("type").asText().equals("trace_end")).singleElement()
                .satisfies(end -> assertThat(end.get("output").asText()).isEqualTo("computed " + SIX_SEVENS));
        assertThat(service.tools.invocations()).extracting(ToolInvocation::arguments).containsExactly(SIX_SEVENS);
        assertThat(as(ALICE_KEY, "GET", run(), null).json().get("status").asText()).isEqualTo("completed");
    }

    @Test
    void an_approval_with_arguments_of_the_persons_own_runs_the_call_with_them() {
        start();
        service.model.reply(asksFor(SIX_SEVENS)).reply(Reply.text("Done."));
        stream = chat(ALICE_KEY, "What is 6*7?");
        JsonNode asked = awaitApprovalRequired();

        ApiClient.Answer decided = decide(ALICE_KEY, "{\"step_id\":\"" + asked.get("step_id").asText()
                + "\",\"approved\":true,\"arguments\":{ \"expression\" : \"6*8\" }}");

        assertThat(decided.status()).as(decided.body()).isEqualTo(200);
        assertThat(toolStep(decided.json()).get("arguments").asText()).as("the model's, kept").isEqualTo(SIX_SEVENS);
        assertThat(toolStep(decided.json()).get("approval").get("arguments").asText()).isEqualTo("{\"expression\":\"6*8\"}");
        await().atMost(PATIENCE).until(stream::ended);
        assertThat(service.tools.invocations()).extracting(ToolInvocation::arguments)
                .containsExactly("{\"expression\":\"6*8\"}");
        assertThat(stream.events()).filteredOn(event -> event.get("type").asText().equals("trace_start")).singleElement()
                .satisfies(start -> assertThat(start.get("arguments").asText()).isEqualTo("{\"expression\":\"6*8\"}"));
    }

    @Test
    void a_denied_call_is_not_run_and_the_model_is_told_why() {
        start();
        service.model.reply(asksFor(SIX_SEVENS)).reply(Reply.text("Understood."));
        stream = chat(ALICE_KEY, "What is 6*7?");
        JsonNode asked = awaitApprovalRequired();

        ApiClient.Answer decided = decide(ALICE_KEY, decision(asked, false, "Not on a Friday."));

        assertThat(decided.status()).as(decided.body()).isEqualTo(200);
        await().atMost(PATIENCE).until(stream::ended);
        assertThat(stream.types()).containsExactly("token", "approval_required", "trace_end", "token", "done");
        JsonNode end = stream.events().stream().filter(event -> event.get("type").asText().equals("trace_end"))
                .findFirst().orElseThrow();
        assertThat(end.get("status").asText()).isEqualTo("denied");
        assertThat(service.tools.invocations()).isEmpty();
        ModelMessage told = service.model.requests().getLast().messages().getLast();
        assertThat(told).isInstanceOf(ModelMessage.ToolResult.class);
        assertThat(told.content()).startsWith("Error: The user denied this tool call: Not on a Friday.");
        JsonNode step = toolStep(as(ALICE_KEY, "GET", run(), null).json());
        assertThat(step.get("status").asText()).isEqualTo("denied");
        assertThat(step.get("approval").get("approved").asBoolean()).isFalse();
    }

    @Test
    void the_same_decisions_again_get_the_run_and_other_decisions_after_the_fact_are_a_conflict() {
        start();
        service.model.reply(asksFor(SIX_SEVENS)).reply(Reply.text("Done."));
        stream = chat(ALICE_KEY, "What is 6*7?");
        JsonNode asked = awaitApprovalRequired();
        assertThat(decide(ALICE_KEY, decision(asked, true, "Go.")).status()).isEqualTo(200);
        await().atMost(PATIENCE).until(stream::ended);

        ApiClient.Answer again = decide(ALICE_KEY, decision(asked, true, "Go."));
        ApiClient.Answer otherwise = decide(ALICE_KEY, decision(asked, false, "On second thought, no."));

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(as(ALICE_KEY, "GET", run(), null).json());
        assertThat(otherwise.status()).isEqualTo(409);
        assertThat(otherwise.json().get("code").asText()).isEqualTo("approval_conflict");
        assertThat(otherwise.json().get("run_status").asText()).isEqualTo("completed");
        assertThat(service.tools.invocations()).as("run once").hasSize(1);
    }

    @Test
    void decisions_for_a_run_that_never_waited_are_a_conflict() {
        start();
        service.model.reply(Reply.text("Hello."));
        stream = chat(ALICE_KEY, "Hi");
        await().atMost(PATIENCE).until(stream::ended);

        ApiClient.Answer refused = decide(ALICE_KEY, "{\"step_id\":\"step_1\",\"approved\":true}");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asText()).isEqualTo("approval_conflict");
        assertThat(refused.json().get("run_status").asText()).isEqualTo("completed");
    }

    @Test
    void every_waiting_call_must_be_decided_once_and_no_other_or_nothing_is_decided() {
        start();
        service.model.reply(Reply.builder().toolCall("call_1", "calculator", SIX_SEVENS)
                        .toolCall("call_2", "calculator", "{\"expression\":\"1+1\"}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.text("Both done."));
        stream = chat(ALICE_KEY, "Two sums");
        await().atMost(PATIENCE).until(() -> stream.types().stream().filter("approval_required"::equals).count() == 2);
        List<JsonNode> asked = stream.events().stream()
                .filter(event -> event.get("type").asText().equals("approval_required")).toList();
        String first = asked.get(0).get("step_id").asText();
        String second = asked.get(1).get("step_id").asText();

        ApiClient.Answer partial = decide(ALICE_KEY, "{\"step_id\":\"" + first + "\",\"approved\":true},"
                + "{\"step_id\":\"step_nope\",\"approved\":false}");
        ApiClient.Answer twice = decide(ALICE_KEY, "{\"step_id\":\"" + first + "\",\"approved\":true},"
                + "{\"step_id\":\"" + first + "\",\"approved\":true},{\"step_id\":\"" + second + "\",\"approved\":true}");

        assertThat(partial.status()).isEqualTo(422);
        assertThat(partial.json().get("code").asText()).isEqualTo("invalid_approvals");
        assertThat(partial.json().get("missing_step_ids")).extracting(JsonNode::asText).containsExactly(second);
        assertThat(partial.json().get("unknown_step_ids")).extracting(JsonNode::asText).containsExactly("step_nope");
        assertThat(twice.status()).isEqualTo(422);
        assertThat(twice.json().get("duplicate_step_ids")).extracting(JsonNode::asText).containsExactly(first);
        ApiClient.Answer mismatched = decide(ALICE_KEY, "{\"step_id\":\"" + first + "\",\"approved\":true,\"output\":\"42\"},"
                + "{\"step_id\":\"" + second + "\",\"approved\":true}");
        assertThat(mismatched.status()).as("an output answers only a call of the client's own tool").isEqualTo(422);
        assertThat(mismatched.json().get("mismatched_step_ids")).extracting(JsonNode::asText).containsExactly(first);
        JsonNode still = as(ALICE_KEY, "GET", run(), null).json();
        assertThat(still.get("status").asText()).isEqualTo("requires_action");
        assertThat(still.get("pending_approvals")).hasSize(2);

        ApiClient.Answer whole = decide(ALICE_KEY, "{\"step_id\":\"" + second + "\",\"approved\":false},"
                + "{\"step_id\":\"" + first + "\",\"approved\":true}");

        assertThat(whole.status()).as(whole.body()).isEqualTo(200);
        await().atMost(PATIENCE).until(stream::ended);
        assertThat(stream.types()).endsWith("done");
        assertThat(service.tools.invocations()).extracting(ToolInvocation::arguments).containsExactly(SIX_SEVENS);
    }

    @Test
    void a_malformed_decision_is_refused_naming_what_is_wrong_and_nothing_is_decided() {
        start();
        service.model.reply(asksFor(SIX_SEVENS)).reply(Reply.text("Done."));
        stream = chat(ALICE_KEY, "What is 6*7?");
        String step = awaitApprovalRequired().get("step_id").asText();
        String at = "{\"step_id\":\"" + step + "\",";

        Map<String, String> refusals = Map.of(
                "{}", "'decisions' is required.",
                "{\"decisions\":[]}", "'decisions' must decide at least one tool call.",
                "{\"decisions\":{}}", "'decisions' must be an array.",
                "{\"decisions\":[" + at + "\"approved\":\"yes\"}]}", "'decisions[0].approved' must be true or false.",
                "{\"decisions\":[" + at + "\"approved\":true,\"arguments\":\"6*8\"}]}", "'decisions[0].arguments' must be an object.",
                "{\"decisions\":[" + at + "\"approved\":false,\"arguments\":{}}]}",
                "'decisions[0].arguments' is for an approved call; a denied call is not run.",
                "{\"decisions\":[" + at + "\"approved\":false,\"reason\":\"" + "x".repeat(2_001) + "\"}]}",
                "'decisions[0].reason' may be at most 2000 characters, was 2001.",
                "{\"decisions\":[{\"approved\":true}]}", "'decisions[0].step_id' is required.",
                "{\"decisions\":[null]}", "'decisions[0]' must be an object.");
        Map<String, String> outputRefusals = Map.of(
                "{\"decisions\":[" + at + "\"approved\":true,\"output\":{\"city\":\"Lisbon\"}}]}",
                "'decisions[0].output' must be a string.",
                "{\"decisions\":[" + at + "\"approved\":false,\"output\":\"Lisbon\"}]}",
                "'decisions[0].output' is what the client's tool gave when it ran the call with the model's arguments:"
                        + " not for a declined call, nor with 'arguments'.");
        java.util.stream.Stream.of(refusals, outputRefusals).flatMap(map -> map.entrySet().stream()).forEach(entry -> {
            String body = entry.getKey();
            String detail = entry.getValue();
            ApiClient.Answer refused = as(ALICE_KEY, "POST", run() + "/approvals", body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.json().get("detail").asText()).as(body).isEqualTo(detail);
        });
        String tooLong = "{\"decisions\":[" + at + "\"approved\":true,\"arguments\":{\"x\":\"" + "y".repeat(200_000) + "\"}}]}";
        ApiClient.Answer refused = client.send(client.request(run() + "/approvals").header("Authorization", "Bearer " + ALICE_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(tooLong)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("detail").asText())
                .isEqualTo("'decisions[0].arguments' may be at most 200000 characters as compact JSON, was 200008.");

        assertThat(as(ALICE_KEY, "GET", run() + "/approvals", null).status()).isEqualTo(405);
        assertThat(as(ALICE_KEY, "GET", run(), null).json().get("status").asText()).isEqualTo("requires_action");
    }

    @Test
    void only_the_threads_owner_may_decide_and_to_anyone_else_the_run_does_not_exist() {
        start();
        service.model.reply(asksFor(SIX_SEVENS)).reply(Reply.text("Done."));
        stream = chat(ALICE_KEY, "What is 6*7?");
        JsonNode asked = awaitApprovalRequired();

        ApiClient.Answer strangers = decide(BOB_KEY, decision(asked, true, null));
        ApiClient.Answer unknownRun = as(ALICE_KEY, "POST", threadPath() + "/runs/run_nope/approvals",
                "{\"decisions\":[" + decision(asked, true, null) + "]}");

        assertThat(strangers.status()).isEqualTo(404);
        assertThat(strangers.json().get("code").asText()).isEqualTo("thread_not_found");
        assertThat(unknownRun.status()).isEqualTo(404);
        assertThat(unknownRun.json().get("code").asText()).isEqualTo("run_not_found");
        assertThat(as(ALICE_KEY, "GET", run(), null).json().get("status").asText()).isEqualTo("requires_action");
        assertThat(service.tools.invocations()).isEmpty();
    }

    @Test
    void a_message_to_the_thread_of_a_waiting_run_finds_it_busy() {
        start();
        service.model.reply(asksFor(SIX_SEVENS));
        stream = chat(ALICE_KEY, "What is 6*7?");
        awaitApprovalRequired();

        ApiClient.Answer busy = as(ALICE_KEY, "POST", "/api/agents/careful/chat",
                json("message", "Hello?", "thread_id", stream.header("X-Thread-Id"), "stream", false));

        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.json().get("code").asText()).isEqualTo("thread_busy");
        assertThat(busy.json().get("active_run_id").asText()).isEqualTo(stream.header("X-Run-Id"));
    }

    @Test
    void a_chat_that_does_not_stream_is_accepted_with_the_calls_it_waits_for() {
        start();
        service.model.reply(asksFor(SIX_SEVENS)).reply(Reply.text("Done."));

        ApiClient.Answer accepted = as(ALICE_KEY, "POST", "/api/agents/careful/chat",
                json("message", "What is 6*7?", "stream", false));

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode answer = accepted.json();
        assertThat(answer.get("status").asText()).isEqualTo("requires_action");
        assertThat(answer.get("message_id").isNull()).isTrue();
        assertThat(answer.get("content").asText()).isEqualTo("Let me work it out. ");
        assertThat(answer.get("pending_approvals")).singleElement()
                .satisfies(pending -> assertThat(pending.get("tool").asText()).isEqualTo("calculator"));
    }

    @Test
    void a_waiting_stream_gets_heartbeats_and_nothing_else_until_the_decision_then_the_rest_of_the_run() {
        ManualClock clock = ManualClock.atSomeDate();
        service = new ApiOverMemory(clock, RunSettings.defaults());
        client = new ApiClient(service.port());
        createCarefulAgent();
        service.model.reply(asksFor(SIX_SEVENS)).reply(Reply.text("Done."));
        stream = client.open(client.request("/api/agents/careful/chat").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json("message", "What is 6*7?"))));
        JsonNode asked = awaitApprovalRequired();

        for (int beat = 1; beat <= 2; beat++) {
            clock.advance(ApiOverMemory.HEARTBEAT_INTERVAL.dividedBy(2));
            int seen = beat;
            await().atMost(PATIENCE).until(() -> heartbeats() >= seen);
        }
        assertThat(stream.types()).containsExactly("token", "approval_required");
        assertThat(stream.ended()).isFalse();

        // The decision waits, on the clock, for the pause's last events to reach the log: time moves until it is answered.
        ApiClient.Answer decided;
        try (ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<ApiClient.Answer> deciding = CompletableFuture.supplyAsync(
                    () -> client.post(run() + "/approvals", "{\"decisions\":[" + decision(asked, true, null) + "]}"),
                    background);
            await().atMost(PATIENCE).until(() -> {
                clock.advance(Duration.ofMillis(250));
                return deciding.isDone();
            });
            decided = deciding.join();
        }
        assertThat(decided.status()).as(decided.body()).isEqualTo(200);
        // A stream on a waiting run looks for the decision on the clock too.
        await().atMost(PATIENCE).until(() -> {
            clock.advance(Duration.ofMillis(250));
            return stream.ended();
        });
        assertThat(stream.types()).containsExactly("token", "approval_required", "trace_start", "trace_end", "token",
                "done");
    }

    private static Reply asksFor(String arguments) {
        return Reply.builder().text("Let me work it out. ").toolCall("call_1", "calculator", arguments)
                .finish(FinishReason.TOOL_CALLS).build();
    }

    private ApiClient.OpenStream chat(String key, String message) {
        return client.open(client.request("/api/agents/careful/chat").header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json("message", message))));
    }

    private JsonNode awaitApprovalRequired() {
        await().atMost(PATIENCE).until(() -> stream.types().contains("approval_required") || stream.ended());
        return stream.events().stream().filter(event -> event.get("type").asText().equals("approval_required"))
                .findFirst().orElseThrow(() -> new AssertionError("the run did not wait: " + stream.events()));
    }

    private static List<JsonNode> withoutHeartbeats(ApiClient.OpenStream events) {
        return events.events().stream().filter(event -> !event.get("type").asText().equals("heartbeat")).toList();
    }

    private long heartbeats() {
        return stream.events().stream().filter(event -> event.get("type").asText().equals("heartbeat")).count();
    }

    private String threadPath() {
        return "/api/agents/careful/threads/" + stream.header("X-Thread-Id");
    }

    private String run() {
        return threadPath() + "/runs/" + stream.header("X-Run-Id");
    }

    private static String decision(JsonNode asked, boolean approved, String reason) {
        return json("step_id", asked.get("step_id").asText(), "approved", approved, "reason", reason);
    }

    private ApiClient.Answer decide(String key, String decisions) {
        return as(key, "POST", run() + "/approvals", "{\"decisions\":[" + decisions + "]}");
    }

    private ApiClient.Answer as(String key, String method, String path, String body) {
        HttpRequest.Builder request = client.request(path).header("Authorization", "Bearer " + key);
        if (body == null) {
            return client.send(request.method(method, HttpRequest.BodyPublishers.noBody()));
        }
        return client.send(request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode toolStep(JsonNode run) {
        for (JsonNode step : run.get("steps")) {
            if (step.get("type").asText().equals("tool_call")) {
                return step;
            }
        }
        throw new AssertionError("no tool call in " + run);
    }
}
