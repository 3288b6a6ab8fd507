package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.auth.Authentication;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.time.ManualClock;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.auth.ApiKeys;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.tool.ToolOutcome;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A run's AG-UI stream served again at {@code .../runs/{runId}/events/ag-ui}, over a real socket: the same frames
 * with the same ids, only those past the client's last id, the client's names echoed, and the refusals of the
 * run's own events route. Every frame is checked against the document's {@code AgUiEvent}.
 */
class AgUiReplayRoutesTest {
    private static final String ALICE_KEY = "alice-key";
    private static final String BOB_KEY = "bob-key";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private ApiOverMemory service;
    private ApiClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(ApiOverMemory over) {
        service = over;
        client = new ApiClient(service.port());
        service.tools.tool("weather", (arguments, progress) -> new ToolOutcome.Succeeded("sunny"));
        ApiClient.Answer created = client.asAdmin("POST", "/api/agents", ApiClient.json("id", "helper", "name", "Helper",
                "instructions", "Answer briefly.", "tools", List.of("weather")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private void start() {
        ApiKeys keys = ApiKeys.none()
                .with(ApiKeys.Entry.forKey(ALICE_KEY, UserId.of("alice"), Set.of()))
                .with(ApiKeys.Entry.forKey(BOB_KEY, UserId.of("bob"), Set.of()))
                .with(ApiKeys.Entry.forKey(ApiOverMemory.ADMIN_KEY, UserId.of("admin"),
                        Set.of(Authentication.DEFAULT_ADMIN_ROLE)));
        start(new ApiOverMemory(Authentication.by(keys, Authentication.DEFAULT_ADMIN_ROLE, Optional.empty()), List.of()));
    }

    @AfterEach
    void stop() {
        http.shutdownNow();
        if (client != null) {
            client.close();
            service.close();
        }
    }

    @Test
    void a_finished_run_is_served_again_frame_for_frame_with_the_clients_names_echoed() {
        start();
        service.model.reply(Reply.builder().text("Looking. ").toolCall("call_1", "weather", "{\"city\":\"Paris\"}")
                .finish(FinishReason.TOOL_CALLS).build()).reply(Reply.text("It is ", "sunny."));
        List<AgUiFrames.Frame> original = runToTheEnd(ALICE_KEY, "th-1", "run-1", "Weather in Paris?");

        List<AgUiFrames.Frame> again = readToTheEnd(replay(ALICE_KEY, runPath(original), "?ag_ui_thread_id=th-1&ag_ui_run_id=run-1"));

        assertThat(again.getFirst().id()).isNull();
        assertThat(withoutTimestamp(again.getFirst().json())).isEqualTo(withoutTimestamp(original.getFirst().json()));
        assertThat(again.subList(1, again.size())).isEqualTo(original.subList(1, original.size()))
                .allSatisfy(frame -> assertThat(frame.id()).matches("\\d+"));
        assertThat(again.getLast().json().get("threadId").asText()).isEqualTo("th-1");
        assertThat(again.getLast().json().get("runId").asText()).isEqualTo("run-1");
    }

    @Test
    void without_the_clients_names_this_services_ids_stand_in_for_them() {
        start();
        service.model.reply(Reply.text("Hello."));
        List<AgUiFrames.Frame> original = runToTheEnd(ALICE_KEY, "th-1", "run-1", "Hi");
        JsonNode ours = original.getFirst().json().get("metadata");

        List<AgUiFrames.Frame> again = readToTheEnd(replay(ALICE_KEY, runPath(original), ""));

        for (JsonNode named : List.of(again.getFirst().json(), again.getLast().json())) {
            assertThat(named.get("threadId").asText()).isEqualTo(ours.get("agentchat_thread_id").asText());
            assertThat(named.get("runId").asText()).isEqualTo(ours.get("agentchat_run_id").asText());
        }
        assertThat(again.getLast().type()).isEqualTo("RUN_FINISHED");
    }

    @Test
    void a_stream_cut_mid_run_is_taken_up_after_its_last_id_with_exactly_the_rest() {
        start();
        CompletableFuture<Void> rest = new CompletableFuture<>();
        service.model.reply(Reply.builder().text("Looking. ").toolCall("call_1", "weather", "{\"city\":\"Paris\"}")
                .finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.builder().text("It is ").await(rest).text("sunny").text(".").finish(FinishReason.STOP).build());
        AgUiFrames cut = AgUiFrames.open(http, runRequest(ALICE_KEY, "th-1", "run-1", "Weather in Paris?"));
        await().atMost(PATIENCE).until(() -> cut.frames().stream().anyMatch(frame -> frame.data().contains("\"It is \"")));
        List<AgUiFrames.Frame> before = cut.frames();
        cut.close();
        String run = "/api/agents/helper/threads/" + cut.header("X-Thread-Id") + "/runs/" + cut.header("X-Run-Id");
        String lastId = before.getLast().id();

        AgUiFrames resumed = AgUiFrames.open(http, replayRequest(ALICE_KEY, run,
                "?ag_ui_thread_id=th-1&ag_ui_run_id=run-1").header("Last-Event-ID", lastId).build());
        rest.complete(null);
        await().atMost(PATIENCE).until(resumed::ended);
        List<AgUiFrames.Frame> after = resumed.frames();

        assertThat(after).as(after.toString()).extracting(AgUiFrames.Frame::type)
                .containsExactly("TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED");
        assertThat(after).allSatisfy(frame -> assertThat(Long.parseLong(frame.id())).isGreaterThan(Long.parseLong(lastId)));
        List<AgUiFrames.Frame> whole = readToTheEnd(replay(ALICE_KEY, run, "?ag_ui_thread_id=th-1&ag_ui_run_id=run-1"));
        List<AgUiFrames.Frame> joined = new java.util.ArrayList<>(before.subList(1, before.size()));
        joined.addAll(after);
        assertThat(joined).isEqualTo(whole.subList(1, whole.size()));
        JsonNode thread = as(ALICE_KEY, "/api/agents/helper/threads/" + cut.header("X-Thread-Id")).json();
        assertThat(deltas(joined)).isEqualTo("Looking. It is sunny.")
                .isEqualTo(thread.get("messages").get(1).get("content").asText());
        assertThat(deltas(after)).isEqualTo("sunny.");
    }

    @Test
    void after_in_the_query_does_what_the_header_does_and_zero_leaves_out_only_run_started() {
        start();
        service.model.reply(Reply.text("One ", "two ", "three."));
        List<AgUiFrames.Frame> original = runToTheEnd(ALICE_KEY, "th-1", "run-1", "Count");
        String run = runPath(original);
        String first = original.get(2).id();   // TEXT_MESSAGE_START and the first delta come of the first event

        List<AgUiFrames.Frame> byQuery = readToTheEnd(replay(ALICE_KEY, run, "?after=" + first + "&ag_ui_thread_id=th-1&ag_ui_run_id=run-1"));
        List<AgUiFrames.Frame> byHeader = readToTheEnd(replayRequest(ALICE_KEY, run, "?after=0&ag_ui_thread_id=th-1&ag_ui_run_id=run-1")
                .header("Last-Event-ID", first).build());
        List<AgUiFrames.Frame> fromZero = readToTheEnd(replay(ALICE_KEY, run, "?after=0&ag_ui_thread_id=th-1&ag_ui_run_id=run-1"));
        List<AgUiFrames.Frame> atTheEnd = readToTheEnd(replay(ALICE_KEY, run, "?after=" + original.getLast().id()));

        assertThat(byQuery).isEqualTo(original.subList(3, original.size()));
        assertThat(deltas(byQuery)).isEqualTo("two three.");
        assertThat(byHeader).isEqualTo(byQuery);
        assertThat(fromZero).isEqualTo(original.subList(1, original.size()));
        assertThat(atTheEnd).isEmpty();
    }

    @Test
    void what_the_run_route_refuses_is_refused_before_any_stream() {
        start();
        service.model.reply(Reply.text("Hello."));
        List<AgUiFrames.Frame> original = runToTheEnd(ALICE_KEY, "th-1", "run-1", "Hi");
        String run = runPath(original);
        long past = Long.parseLong(original.getLast().id()) + 1;

        ApiClient.Answer unknownId = client.send(replayRequest(ALICE_KEY, run, "").header("Last-Event-ID", Long.toString(past)));
        ApiClient.Answer notAnId = client.send(replayRequest(ALICE_KEY, run, "").header("Last-Event-ID", "x"));
        ApiClient.Answer badAfter = client.send(replayRequest(ALICE_KEY, run, "?after=-1"));
        ApiClient.Answer othersRun = client.send(replayRequest(BOB_KEY, run, ""));
        ApiClient.Answer noRun = client.send(replayRequest(ALICE_KEY, run.substring(0, run.lastIndexOf('/')) + "/run_missing", ""));
        ApiClient.Answer longName = client.send(replayRequest(ALICE_KEY, run, "?ag_ui_thread_id=" + "t".repeat(129)));
        ApiClient.Answer spacedName = client.send(replayRequest(ALICE_KEY, run, "?ag_ui_run_id="
                + URLEncoder.encode(" run-1", StandardCharsets.UTF_8)));
        ApiClient.Answer emptyName = client.send(replayRequest(ALICE_KEY, run, "?ag_ui_run_id="));
        ApiClient.Answer json = client.send(replayRequest(ALICE_KEY, run, "").setHeader("Accept", "application/json"));
        ApiClient.Answer posted = client.send(replayRequest(ALICE_KEY, run, "").POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(unknownId.status()).isEqualTo(400);
        assertThat(unknownId.json().get("code").asText()).isEqualTo("unknown_event_id");
        assertThat(notAnId.status()).isEqualTo(400);
        assertThat(badAfter.status()).isEqualTo(400);
        assertThat(othersRun.status()).isEqualTo(404);
        assertThat(noRun.status()).isEqualTo(404);
        assertThat(longName.status()).isEqualTo(400);
        assertThat(longName.json().get("detail").asText()).contains("ag_ui_thread_id");
        assertThat(spacedName.status()).isEqualTo(400);
        assertThat(spacedName.json().get("detail").asText()).contains("ag_ui_run_id");
        assertThat(emptyName.status()).isEqualTo(400);
        assertThat(json.status()).isEqualTo(406);
        assertThat(posted.status()).isEqualTo(405);
    }

    @Test
    void a_run_that_waits_for_approval_is_served_up_to_its_pause_and_the_stream_ends_there() {
        start();
        ApiClient.Answer careful = client.asAdmin("POST", "/api/agents", ApiClient.json("id", "careful", "name", "Careful",
                "instructions", "Ask first.", "tools", List.of("weather"), "approval_required", List.of("weather")));
        assertThat(careful.status()).as(careful.body()).isEqualTo(201);
        service.model.reply(Reply.builder().text("Let me ask. ").toolCall("call_1", "weather", "{\"city\":\"Paris\"}")
                .finish(FinishReason.TOOL_CALLS).build());
        AgUiFrames first = AgUiFrames.open(http, request("/api/agents/careful/ag-ui", ALICE_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(input("th-1", "run-1", "Weather?"))).build());
        await().atMost(PATIENCE).until(() -> first.types().contains("TOOL_CALL_END") || first.ended());
        first.close();
        String run = "/api/agents/careful/threads/" + first.header("X-Thread-Id") + "/runs/" + first.header("X-Run-Id");
        await().atMost(PATIENCE).until(() -> as(ALICE_KEY, run).json().get("status").asText().equals("requires_action"));

        AgUiFrames again = AgUiFrames.open(http, replayRequest(ALICE_KEY, run, "").build());
        await().atMost(PATIENCE).until(again::ended);

        assertThat(again.types()).startsWith("RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT",
                "TEXT_MESSAGE_END", "TOOL_CALL_START", "TOOL_CALL_ARGS", "TOOL_CALL_END");
        assertThat(again.types().getLast()).isEqualTo("RUN_FINISHED");
        assertThat(again.frames().getLast().json().get("outcome").get("type").asText()).isEqualTo("interrupt");
        assertThat(as(ALICE_KEY, run).json().get("status").asText()).isEqualTo("requires_action");
    }

    @Test
    void a_run_resumed_after_its_interrupt_is_served_again_as_the_ag_ui_run_each_id_was_in() {
        start();
        ApiClient.Answer careful = client.asAdmin("POST", "/api/agents", ApiClient.json("id", "careful", "name", "Careful",
                "instructions", "Ask first.", "tools", List.of("weather"), "approval_required", List.of("weather")));
        assertThat(careful.status()).as(careful.body()).isEqualTo(201);
        service.model.reply(Reply.builder().text("Let me ask. ").toolCall("call_1", "weather", "{\"city\":\"Paris\"}")
                .finish(FinishReason.TOOL_CALLS).build()).reply(Reply.text("It is ", "sunny."));
        List<AgUiFrames.Frame> first = readToTheEnd(post("careful", input("th-1", "run-1", "Weather?")));
        String step = first.stream().filter(frame -> frame.type().equals("TOOL_CALL_START")).findFirst().orElseThrow()
                .json().get("toolCallId").asText();
        List<AgUiFrames.Frame> second = readToTheEnd(post("careful", ApiClient.json("threadId", "th-1", "runId", "run-2",
                "messages", List.of(java.util.Map.of("id", "u1", "role", "user", "content", "Weather?"),
                        java.util.Map.of("id", "a1", "role", "assistant", "content", "Let me ask. ")),
                "resume", List.of(java.util.Map.of("interruptId", step, "status", "resolved",
                        "payload", java.util.Map.of("approved", true))))));
        JsonNode ours = first.getFirst().json().get("metadata");
        String run = "/api/agents/careful/threads/" + ours.get("agentchat_thread_id").asText() + "/runs/"
                + ours.get("agentchat_run_id").asText();
        String lastOfFirst = first.get(first.size() - 2).id();
        String resultId = second.get(1).id();

        List<AgUiFrames.Frame> fromTheStart = readToTheEnd(replay(ALICE_KEY, run, "?ag_ui_thread_id=th-1&ag_ui_run_id=run-1"));
        List<AgUiFrames.Frame> atThePause = readToTheEnd(replayRequest(ALICE_KEY, run, "?ag_ui_thread_id=th-1&ag_ui_run_id=run-1")
                .header("Last-Event-ID", lastOfFirst).build());
        List<AgUiFrames.Frame> inTheSecond = readToTheEnd(replayRequest(ALICE_KEY, run, "?ag_ui_thread_id=th-1&ag_ui_run_id=run-2")
                .header("Last-Event-ID", resultId).build());

        assertThat(second).extracting(AgUiFrames.Frame::type).containsExactly("RUN_STARTED", "TOOL_CALL_RESULT",
                "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED");
        assertThat(second.get(2).json().get("messageId").asText()).as("the client keeps the messages of both runs")
                .isNotEqualTo(first.get(1).json().get("messageId").asText());
        assertThat(fromTheStart.subList(1, fromTheStart.size() - 1)).as("the first AG-UI run again, up to its pause")
                .isEqualTo(first.subList(1, first.size() - 1));
        assertThat(withoutTimestamp(fromTheStart.getLast().json())).isEqualTo(withoutTimestamp(first.getLast().json()));
        assertThat(atThePause).extracting(AgUiFrames.Frame::type).containsExactly("RUN_FINISHED");
        assertThat(atThePause.getFirst().json().get("outcome").get("interrupts").get(0).get("id").asText()).isEqualTo(step);
        assertThat(inTheSecond).as("the rest of the run the resume streamed").isEqualTo(second.subList(2, second.size()));
    }

    private HttpRequest post(String agent, String body) {
        return request("/api/agents/" + agent + "/ag-ui", ALICE_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void a_client_with_every_frame_so_far_gets_the_headers_at_once_then_pings_until_the_run_ends() {
        ManualClock clock = ManualClock.atSomeDate();
        start(new ApiOverMemory(clock, RunSettings.defaults()));
        service.model.reply(Reply.builder().text("Thinking").hang().build());
        AgUiFrames first = AgUiFrames.open(http, runRequest(null, "th-1", "run-1", "Hi"));
        await().atMost(PATIENCE).until(() -> first.types().contains("TEXT_MESSAGE_CONTENT"));
        String run = "/api/agents/helper/threads/" + first.header("X-Thread-Id") + "/runs/" + first.header("X-Run-Id");
        String lastId = first.frames().getLast().id();
        first.close();

        // The clock stands still: no heartbeat is due, so only the stream's opening can have sent the headers.
        AgUiFrames again = AgUiFrames.open(http, replayRequest(null, run, "").header("Last-Event-ID", lastId).build());
        await().atMost(PATIENCE).until(() -> again.comments().size() == 1);
        clock.advance(ApiOverMemory.HEARTBEAT_INTERVAL.dividedBy(2));
        await().atMost(PATIENCE).until(() -> again.comments().size() == 2);
        assertThat(again.frames()).isEmpty();
        assertThat(client.post(run + "/cancel", "").status()).isIn(200, 202);
        await().atMost(PATIENCE).until(again::ended);

        assertThat(again.types()).containsExactly("TEXT_MESSAGE_END", "RUN_ERROR");
        assertThat(again.frames().getLast().json().get("code").asText()).isEqualTo("cancelled");
        assertThat(Long.parseLong(again.frames().getLast().id())).isGreaterThan(Long.parseLong(lastId));
        assertThat(again.comments()).containsOnly(": ping");
    }

    /** Runs the agent through the AG-UI route and reads the whole stream. */
    private List<AgUiFrames.Frame> runToTheEnd(String key, String threadId, String runId, String text) {
        return readToTheEnd(runRequest(key, threadId, runId, text));
    }

    private List<AgUiFrames.Frame> readToTheEnd(HttpRequest request) {
        try (AgUiFrames frames = AgUiFrames.open(http, request)) {
            await().atMost(PATIENCE).until(frames::ended);
            return frames.frames();
        }
    }

    private HttpRequest runRequest(String key, String threadId, String runId, String text) {
        return request("/api/agents/helper/ag-ui", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(input(threadId, runId, text))).build();
    }

    private HttpRequest replay(String key, String run, String query) {
        return replayRequest(key, run, query).build();
    }

    private HttpRequest.Builder replayRequest(String key, String run, String query) {
        return request(run + "/events/ag-ui" + query, key).GET();
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder request = client.request(path).header("Accept", "text/event-stream");
        return key == null ? request : request.header("Authorization", "Bearer " + key);
    }

    private ApiClient.Answer as(String key, String path) {
        return client.send(client.request(path).header("Authorization", "Bearer " + key).GET());
    }

    /** The run's address, from this service's ids in {@code RUN_STARTED}. */
    private static String runPath(List<AgUiFrames.Frame> frames) {
        JsonNode ours = frames.getFirst().json().get("metadata");
        return "/api/agents/helper/threads/" + ours.get("agentchat_thread_id").asText() + "/runs/"
                + ours.get("agentchat_run_id").asText();
    }

    private static String input(String threadId, String runId, String text) {
        return ApiClient.json("threadId", threadId, "runId", runId, "messages",
                List.of(java.util.Map.of("id", "u1", "role", "user", "content", text)));
    }

    private static String deltas(List<AgUiFrames.Frame> frames) {
        return frames.stream().filter(frame -> frame.type().equals("TEXT_MESSAGE_CONTENT"))
                .map(frame -> frame.json().get("delta").asText()).collect(Collectors.joining());
    }

    private static JsonNode withoutTimestamp(JsonNode event) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = event.deepCopy();
        copy.remove("timestamp");
        return copy;
    }
}
