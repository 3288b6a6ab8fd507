package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.DemoChatModel;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.StoreFaults;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.Role;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.chat.ModelMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatStreamingTest {
    private static final Pattern ISO_UTC_MILLIS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z]+(_[a-z]+)*");

    private ServiceUnderTest service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void streamed_tokens_add_up_to_the_stored_answer() {
        service = new ServiceUnderTest();
        service.model.reply(Reply.builder().text("Restart ").text("the ").text("VM, ").text("then check DNS. ✓ 😀")
                .usage(Usage.reported(42, 7)).finish(FinishReason.STOP).build());

        SseStream.Frames frames;
        String runHeader;
        try (SseStream stream = service.chat("support-triage", body("message", "My VM is unreachable"))) {
            runHeader = stream.header("X-Run-Id");
            frames = stream.readToEnd();
        }

        assertThat(frames.types()).containsExactly("token", "token", "token", "token", "done");
        JsonNode done = frames.last("done");
        assertThat(done.get("run_id").asText()).isEqualTo(runHeader);
        assertThat(done.get("tokens_used").asLong()).isEqualTo(49);
        JsonNode thread = ServiceUnderTest.parse(service.get("/api/agents/support-triage/threads/"
                + done.get("thread_id").asText()).body());
        JsonNode answer = thread.get("messages").get(1);
        assertThat(answer.get("role").asText()).isEqualTo("assistant");
        assertThat(answer.get("id").asText()).isEqualTo(done.get("message_id").asText());
        assertThat(answer.get("content").asText()).isEqualTo(frames.tokens()).isEqualTo("Restart the VM, then check DNS. ✓ 😀");
        assertThat(answer.get("status").asText()).isEqualTo("complete");
        Run run = onlyRun(done.get("thread_id").asText());
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.usage()).isEqualTo(Usage.reported(42, 7));
        assertThat(run.answerMessageId().value()).isEqualTo(answer.get("id").asText());
    }

    @Test
    void every_frame_is_data_json_with_a_type_snake_case_keys_and_an_iso_utc_timestamp() {
        service = new ServiceUnderTest();
        service.model.reply(Reply.text("Hello", " there"));

        SseStream.Frames frames;
        try (SseStream stream = service.chat("support-triage", body("message", "hi"))) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(stream.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(stream.header("X-Thread-Id")).startsWith("thread_");
            frames = stream.readToEnd();
        }

        assertThat(frames.all()).isNotEmpty().allSatisfy(frame -> {
            // A run event is "id: n" then "data: {...}"; a heartbeat, which belongs to no run, has no id.
            assertThat(frame.lines().getLast()).startsWith("data: {");
            if (frame.type().equals("heartbeat")) {
                assertThat(frame.lines()).hasSize(1);
            } else {
                assertThat(frame.lines()).hasSize(2);
                assertThat(frame.lines().getFirst()).matches("id: ?[1-9][0-9]*");
            }
            assertThat(frame.data().get("type").asText()).isNotBlank();
            Iterator<String> keys = frame.data().fieldNames();
            keys.forEachRemaining(key -> assertThat(key).matches(SNAKE_CASE));
            String timestamp = frame.data().get("timestamp").asText();
            assertThat(timestamp).matches(ISO_UTC_MILLIS);
            assertThat(Instant.parse(timestamp)).isBetween(Instant.now().minusSeconds(60), Instant.now());
        });
    }

    @Test
    void continuing_a_thread_sends_its_history_to_the_model() {
        service = new ServiceUnderTest();
        service.model.reply(Reply.text("Which region?")).reply(Reply.text("Thanks, checking westeurope."));
        JsonNode first = service.chatToDone("ops-assistant", body("message", "Our API is slow"));
        String threadId = first.get("thread_id").asText();

        JsonNode second = service.chatToDone("ops-assistant", body("message", "westeurope", "thread_id", threadId));

        assertThat(second.get("thread_id").asText()).isEqualTo(threadId);
        assertThat(second.get("run_id").asText()).isNotEqualTo(first.get("run_id").asText());
        List<ModelMessage> sent = service.model.requests().get(1).messages();
        assertThat(sent).containsExactly(
                ModelMessage.user("Our API is slow"),
                ModelMessage.assistant("Which region?"),
                ModelMessage.user("westeurope"));
        assertThat(service.model.requests().get(1).instructions()).contains("operations assistant");
        JsonNode thread = ServiceUnderTest.parse(service.get("/api/agents/ops-assistant/threads/" + threadId).body());
        assertThat(thread.get("messages")).hasSize(4);
        assertThat(thread.get("title").asText()).isEqualTo("Our API is slow");
    }

    @Test
    void a_model_fault_mid_stream_ends_with_an_error_event_keeps_the_partial_answer_and_leaves_the_thread_usable() {
        service = new ServiceUnderTest();
        service.model.reply(Reply.builder().text("Check the ").text("load balancer").fail("model_error", "The upstream connection was reset.").build())
                .reply(Reply.text("Recovered."));

        SseStream.Frames frames;
        String threadId;
        try (SseStream stream = service.chat("support-triage", body("message", "Site down"))) {
            threadId = stream.header("X-Thread-Id");
            frames = stream.readToEnd();
        }

        assertThat(frames.types()).containsExactly("token", "token", "error");
        JsonNode error = frames.last("error");
        assertThat(error.get("code").asText()).isEqualTo("model_error");
        assertThat(error.get("message").asText()).isEqualTo("The upstream connection was reset.");
        Run run = onlyRun(threadId);
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failure().code()).isEqualTo("model_error");
        assertThat(run.endedAt()).isNotNull();
        List<Message> messages = service.components.messages().listByThread(ThreadId.of(threadId));
        assertThat(messages).extracting(Message::content).containsExactly("Site down", "Check the load balancer");
        assertThat(messages.get(1).status()).hasToString("INCOMPLETE");
        assertThat(run.answerMessageId()).isEqualTo(messages.get(1).id());

        JsonNode next = service.chatToDone("support-triage", body("message", "Try again", "thread_id", threadId));
        assertThat(next.get("thread_id").asText()).isEqualTo(threadId);
        assertThat(service.model.requests().get(1).messages()).extracting(ModelMessage::content)
                .containsExactly("Site down", "Check the load balancer", "Try again");
    }

    @Test
    void a_model_that_cannot_be_reached_fails_the_run_with_an_error_event() {
        service = new ServiceUnderTest();   // no reply queued: the scripted model is unreachable

        SseStream.Frames frames;
        String threadId;
        try (SseStream stream = service.chat("support-triage", body("message", "Hello?"))) {
            threadId = stream.header("X-Thread-Id");
            frames = stream.readToEnd();
        }

        assertThat(frames.types()).containsExactly("error");
        assertThat(frames.last("error").get("code").asText()).isEqualTo("model_unavailable");
        assertThat(onlyRun(threadId).status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void a_store_fault_while_saving_the_answer_fails_the_run_with_an_error_event() {
        service = new ServiceUnderTest(components -> components.messages(
                StoreFaults.refusingAppends(new InMemoryMessageStore(), message -> message.role() == Role.ASSISTANT)));
        service.model.reply(Reply.text("An answer that cannot be stored"));

        SseStream.Frames frames;
        String threadId;
        try (SseStream stream = service.chat("support-triage", body("message", "Hello"))) {
            threadId = stream.header("X-Thread-Id");
            frames = stream.readToEnd();
        }

        assertThat(frames.types()).endsWith("error").doesNotContain("done");
        assertThat(frames.last("error").get("code").asText()).isEqualTo("store_error");
        Run run = onlyRun(threadId);
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failure().code()).isEqualTo("store_error");
    }

    @Test
    void heartbeats_keep_a_quiet_stream_alive() {
        service = new ServiceUnderTest();
        service.model.reply(Reply.builder().pause(Duration.ofSeconds(4)).text("Finally.")
                .finish(FinishReason.STOP).build());

        SseStream.Frames frames;
        try (SseStream stream = service.chat("support-triage", body("message", "Think hard"))) {
            frames = stream.readToEnd();
        }

        // One-second interval in tests: a heartbeat is due after half a second of silence, so some come in
        // 4 s however busy the machine. One per half interval is tested on a manual clock in adapter-http;
        // how regular they are in real time is measured in bench/.
        List<String> types = frames.typesWithHeartbeats();
        assertThat(types.subList(types.size() - 2, types.size())).containsExactly("token", "done");
        assertThat(types.subList(0, types.size() - 2)).isNotEmpty().containsOnly("heartbeat");
        assertThat(frames.all().getFirst().data().size()).as("a heartbeat holds only type and timestamp").isEqualTo(2);
    }

    @Test
    void under_the_cancel_policy_a_client_that_disconnects_stops_the_model_within_a_few_heartbeats_and_the_partial_answer_is_kept()
            throws Exception {
        service = new ServiceUnderTest(Map.of("DISCONNECT_POLICY", "cancel", "DISCONNECT_GRACE_SECONDS", "0"),
                components -> components);
        service.model.reply(Reply.builder().text("Half an ").text("answer").hang().build());

        String threadId;
        try (SseStream stream = service.chat("support-triage", body("message", "Long question"))) {
            threadId = stream.header("X-Thread-Id");
            assertThat(stream.next(Duration.ofSeconds(5)).type()).isEqualTo("token");
            assertThat(stream.next(Duration.ofSeconds(5)).type()).isEqualTo("token");
        }

        // The model hangs, so only the heartbeat (one second in tests) that finds the client gone can end the run.
        Run run = awaitRunEnded(threadId, Duration.ofSeconds(5));
        assertThat(service.model.closedStreams()).isEqualTo(1);
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.failure().code()).isEqualTo("client_disconnected");
        assertThat(service.components.messages().listByThread(ThreadId.of(threadId)))
                .extracting(Message::content).containsExactly("Long question", "Half an answer");
    }

    @Test
    void stream_false_answers_one_json_document_with_the_same_ids_and_the_whole_content() {
        service = new ServiceUnderTest();
        service.model.reply(Reply.text("All ", "at ", "once"));

        var response = service.postJson("/api/agents/support-triage/chat", body("message", "hi", "stream", false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode answer = ServiceUnderTest.parse(response.body());
        assertThat(answer.get("content").asText()).isEqualTo("All at once");
        assertThat(answer.get("status").asText()).isEqualTo("completed");
        assertThat(answer.get("tokens_used").asLong()).isEqualTo(13);
        JsonNode thread = ServiceUnderTest.parse(service.get("/api/agents/support-triage/threads/"
                + answer.get("thread_id").asText()).body());
        assertThat(thread.get("messages").get(1).get("id").asText()).isEqualTo(answer.get("message_id").asText());
        assertThat(onlyRun(answer.get("thread_id").asText()).id().value()).isEqualTo(answer.get("run_id").asText());
    }

    @Test
    void the_offline_demo_model_streams_an_answer_that_says_what_it_is() {
        service = new ServiceUnderTest(components -> components.model(new DemoChatModel(Duration.ZERO)));

        SseStream.Frames frames;
        try (SseStream stream = service.chat("support-triage", body("message", "ping"))) {
            frames = stream.readToEnd();
        }

        assertThat(frames.types()).hasSizeGreaterThan(5).endsWith("done");
        assertThat(frames.tokens()).contains("offline demo model").contains("\"ping\"");
    }

    @Test
    void the_embedded_default_shows_tool_traces_when_asked_for_what_a_tool_does() {
        service = new ServiceUnderTest(components -> components.model(new DemoChatModel(Duration.ZERO)));

        SseStream.Frames frames;
        // business-impact runs the calculator at once; ops-assistant would wait for a person to approve it.
        try (SseStream stream = service.chat("business-impact", body("message", "What is 12 * (3 + 4)?"))) {
            frames = stream.readToEnd();
        }

        assertThat(frames.types().subList(0, 2)).containsExactly("trace_start", "trace_end");
        assertThat(frames.events().getFirst().data().get("tool").asText()).isEqualTo("calculator");
        assertThat(frames.events().get(1).data().get("output").asText()).contains("84");
        assertThat(frames.tokens()).contains("offline demo model").contains("84");
        frames.last("done");
    }

    private Run onlyRun(String threadId) {
        List<Run> runs = service.components.runs().listByThread(ThreadId.of(threadId));
        assertThat(runs).hasSize(1);
        return runs.getFirst();
    }

    private Run awaitRunEnded(String threadId, Duration within) {
        return await().atMost(within).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .alias("the run of thread " + threadId + " ended").until(() -> onlyRun(threadId), run -> run.status().isTerminal());
    }
}
