package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.message.MessageStatus;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Run control over real sockets: resuming a stream with Last-Event-ID (on the same instance and on
 * another one sharing the store), cancelling, the disconnect policy, one run per thread, idempotent
 * retries, run limits and the recovery of runs a stopped instance left behind.
 */
class RunControlTest {
    private static final String AGENT = "support-triage";

    private final List<AutoCloseable> closing = new ArrayList<>();
    private ServiceUnderTest service;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closing.reversed()) {
            closeable.close();
        }
        if (service != null) {
            service.close();
        }
    }

    /** Ten words, a tenth of a second apart: long enough to leave in the middle. */
    private static Reply slowAnswer() {
        Reply.Builder reply = Reply.builder();
        for (int i = 1; i <= 10; i++) {
            reply.text("w" + i + " ");
            reply.pause(Duration.ofMillis(100));
        }
        return reply.finish(FinishReason.STOP).build();
    }

    private static final String SLOW_ANSWER = "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 ";

    @Test
    void a_client_that_reconnects_with_last_event_id_gets_the_rest_of_the_run_exactly_once() {
        service = new ServiceUnderTest();
        service.model.reply(slowAnswer());

        Left left = askSlowlyAndLeaveAfter(3);
        String threadId = left.threadId();
        String runId = left.runId();
        assertThat(left.events()).extracting(SseStream.Frame::id).containsExactly("1", "2", "3");

        SseStream.Frames rest;
        try (SseStream resumed = service.events(AGENT, threadId, runId, "3", null)) {
            assertThat(resumed.response.statusCode()).isEqualTo(200);
            assertThat(resumed.header("X-Run-Id")).isEqualTo(runId);
            rest = resumed.readToEnd();
        }

        List<Long> ids = rest.ids();
        assertThat(ids).as("every event after 3, each once, in order")
                .containsExactlyElementsOf(LongStream.rangeClosed(4, ids.getLast()).boxed().toList());
        assertThat(rest.last("done").get("run_id").asText()).isEqualTo(runId);
        assertThat(left.text() + rest.tokens()).isEqualTo(SLOW_ANSWER);
        assertThat(run(threadId).status()).as("leaving did not stop the run").isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void a_finished_run_is_replayed_from_any_event_and_nothing_follows_its_last() {
        service = new ServiceUnderTest();
        service.model.reply(Reply.text("one ", "two ", "three"));
        JsonNode done;
        SseStream.Frames original;
        try (SseStream stream = service.chat(AGENT, body("message", "Count"))) {
            original = stream.readToEnd();
            done = original.last("done");
        }
        String threadId = done.get("thread_id").asText();
        String runId = done.get("run_id").asText();

        SseStream.Frames whole = replay(service, threadId, runId, null, null);
        SseStream.Frames fromTwo = replay(service, threadId, runId, null, "after=2");
        SseStream.Frames afterLast = replay(service, threadId, runId, String.valueOf(original.ids().getLast()), null);

        assertThat(whole.ids()).isEqualTo(original.ids());
        assertThat(whole.events()).extracting(frame -> frame.data().toString())
                .isEqualTo(original.events().stream().map(frame -> frame.data().toString()).toList());
        assertThat(fromTwo.ids()).containsExactlyElementsOf(original.ids().subList(2, original.ids().size()));
        assertThat(fromTwo.tokens()).isEqualTo("three");
        assertThat(afterLast.events()).as("a client that saw the end gets nothing more").isEmpty();
    }

    @Test
    void a_replay_longer_than_a_streams_queue_arrives_whole() {
        service = new ServiceUnderTest();
        Reply.Builder many = Reply.builder();
        for (int i = 0; i < 5_000; i++) {
            many.text("t ");
        }
        service.model.reply(many.finish(FinishReason.STOP).build());
        JsonNode done = service.chatToDone(AGENT, body("message", "Say a lot"));

        SseStream.Frames replayed = replay(service, done.get("thread_id").asText(), done.get("run_id").asText(), null, null);

        assertThat(replayed.ids()).hasSize(5_001).containsExactlyElementsOf(LongStream.rangeClosed(1, 5_001).boxed().toList());
        assertThat(replayed.last("done").get("run_id").asText()).isEqualTo(done.get("run_id").asText());
    }

    @Test
    void another_instance_sharing_the_store_streams_a_run_it_does_not_execute_without_gap_or_duplicate() {
        service = new ServiceUnderTest(Map.of("EVENT_FLUSH_MS", "50"), components -> components);
        ServiceUnderTest other = service.anotherInstance();
        closing.add(other);
        service.model.reply(slowAnswer());

        Left left = askSlowlyAndLeaveAfter(2);
        String runId = left.runId();

        SseStream.Frames rest;
        try (SseStream resumed = other.events(AGENT, left.threadId(), runId, "2", null)) {
            assertThat(resumed.response.statusCode()).isEqualTo(200);
            rest = resumed.readToEnd();
        }

        List<Long> ids = rest.ids();
        assertThat(ids).containsExactlyElementsOf(LongStream.rangeClosed(3, ids.getLast()).boxed().toList());
        assertThat(rest.last("done").get("run_id").asText()).isEqualTo(runId);
        assertThat(left.text() + rest.tokens()).isEqualTo(SLOW_ANSWER);
        assertThat(other.model.requests()).as("the other instance never called a model").isEmpty();
    }

    @Test
    void by_default_a_client_that_disconnects_leaves_the_run_to_finish_and_store_its_answer() {
        service = new ServiceUnderTest();
        service.model.reply(slowAnswer());

        Left left = askSlowlyAndLeaveAfter(1);
        String threadId = left.threadId();
        assertThat(left.events()).extracting(SseStream.Frame::type).containsExactly("token");

        Await.until(() -> run(threadId).status().isTerminal(), Duration.ofSeconds(10));
        assertThat(run(threadId).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(messages(threadId)).extracting(Message::content).containsExactly("Tell me slowly", SLOW_ANSWER);
        assertThat(service.model.closedStreams()).isEqualTo(1);
    }

    @Test
    void under_the_cancel_policy_a_client_that_comes_back_within_the_grace_keeps_its_run_and_one_that_does_not_loses_it() {
        service = new ServiceUnderTest(Map.of("DISCONNECT_POLICY", "cancel", "DISCONNECT_GRACE_SECONDS", "1"),
                components -> components);
        service.model.reply(slowAnswer()).reply(Reply.builder().text("Left ").hang().build());

        // a client that drops and reconnects at once
        Left left = askSlowlyAndLeaveAfter(1);
        assertThat(left.events()).extracting(SseStream.Frame::type).containsExactly("token");
        SseStream.Frames rest = replay(service, left.threadId(), left.runId(), "1", null);
        assertThat(rest.last("done").get("run_id").asText()).isEqualTo(left.runId());

        // a client that drops for good
        String leftThread;
        long leftAt;
        try (SseStream stream = service.chat(AGENT, body("message", "Then leave"))) {
            leftThread = stream.header("X-Thread-Id");
            assertThat(stream.next(Duration.ofSeconds(5)).type()).isEqualTo("token");
            leftAt = System.nanoTime();
        }
        Await.until(() -> run(leftThread).status().isTerminal(), Duration.ofSeconds(10));
        assertThat(run(leftThread).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(Duration.ofNanos(System.nanoTime() - leftAt)).as("not before the grace")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void cancelling_a_run_mid_stream_stops_the_model_keeps_the_partial_answer_and_tells_every_listener() {
        service = new ServiceUnderTest();
        service.model.reply(Reply.builder().text("Half an ").text("answer").hang().build());

        try (SseStream stream = service.chat(AGENT, body("message", "Long question"))) {
            String threadId = stream.header("X-Thread-Id");
            String runId = stream.header("X-Run-Id");
            assertThat(stream.next(Duration.ofSeconds(5)).type()).isEqualTo("token");
            SseStream watcher = service.events(AGENT, threadId, runId, null, null);
            closing.add(watcher);

            HttpResponse<String> cancel = service.post(runPath(threadId, runId) + "/cancel");

            assertThat(cancel.statusCode()).isEqualTo(200);
            assertThat(parse(cancel.body()).get("status").asText()).isEqualTo("cancelled");
            assertThat(parse(cancel.body()).at("/error/code").asText()).isEqualTo("cancelled");
            assertThat(stream.readToEnd().last("error").get("code").asText()).isEqualTo("cancelled");
            assertThat(watcher.readToEnd().last("error").get("code").asText()).isEqualTo("cancelled");
            assertThat(service.model.closedStreams()).as("the model's stream was closed").isEqualTo(1);
            assertThat(messages(threadId)).extracting(Message::content, Message::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("Long question", MessageStatus.COMPLETE),
                            org.assertj.core.groups.Tuple.tuple("Half an answer", MessageStatus.INCOMPLETE));

            HttpResponse<String> again = service.post(runPath(threadId, runId) + "/cancel");
            assertThat(again.statusCode()).as("a finished run cannot be cancelled").isEqualTo(409);
            assertThat(parse(again.body()).get("code").asText()).isEqualTo("run_finished");
            assertThat(again.headers().firstValue("Content-Type")).contains("application/problem+json");
        }
    }

    @Test
    void a_cancel_sent_to_another_instance_stops_the_run_within_a_cancel_check() {
        service = new ServiceUnderTest(Map.of("CANCEL_CHECK_MS", "100"), components -> components);
        ServiceUnderTest other = service.anotherInstance();
        closing.add(other);
        service.model.reply(Reply.builder().text("Started ").hang().build());

        try (SseStream stream = service.chat(AGENT, body("message", "Long question"))) {
            String threadId = stream.header("X-Thread-Id");
            String runId = stream.header("X-Run-Id");
            assertThat(stream.next(Duration.ofSeconds(5)).type()).isEqualTo("token");

            HttpResponse<String> cancel = other.post(runPath(threadId, runId) + "/cancel");

            assertThat(cancel.statusCode()).as("asked, but stopping elsewhere").isEqualTo(202);
            assertThat(parse(cancel.body()).get("status").asText()).isEqualTo("cancelling");
            assertThat(stream.readToEnd().last("error").get("code").asText()).isEqualTo("cancelled");
            assertThat(run(threadId).status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(service.model.closedStreams()).isEqualTo(1);
        }
    }

    @Test
    void a_second_chat_on_a_busy_thread_is_refused_with_the_active_run_and_taken_once_it_ends() {
        service = new ServiceUnderTest();
        service.model.reply(Reply.text("First.")).reply(Reply.builder().text("Busy ").hang().build())
                .reply(Reply.text("Third."));
        String threadId = service.chatToDone(AGENT, body("message", "One")).get("thread_id").asText();

        try (SseStream busy = service.chat(AGENT, body("message", "Two", "thread_id", threadId))) {
            String activeRun = busy.header("X-Run-Id");
            assertThat(busy.next(Duration.ofSeconds(5)).type()).isEqualTo("token");

            HttpResponse<String> refused = service.postJson("/api/agents/" + AGENT + "/chat",
                    body("message", "Three", "thread_id", threadId, "stream", false));

            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(parse(refused.body()).get("code").asText()).isEqualTo("thread_busy");
            assertThat(parse(refused.body()).get("active_run_id").asText()).isEqualTo(activeRun);
            assertThat(service.post(runPath(threadId, activeRun) + "/cancel").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> after = service.postJson("/api/agents/" + AGENT + "/chat",
                body("message", "Three", "thread_id", threadId, "stream", false));
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(messages(threadId)).extracting(Message::content)
                .containsExactly("One", "First.", "Two", "Busy ", "Three", "Third.");
    }

    @Test
    void of_chats_racing_on_one_idle_thread_exactly_one_runs() throws Exception {
        service = new ServiceUnderTest();
        service.model.reply(Reply.text("First."));
        for (int i = 0; i < 8; i++) {
            service.model.reply(Reply.builder().text("slow").pause(Duration.ofMillis(300)).finish(FinishReason.STOP).build());
        }
        String threadId = service.chatToDone(AGENT, body("message", "One")).get("thread_id").asText();

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String message = "racer " + i;
                answers.add(clients.submit(() -> service.postJson("/api/agents/" + AGENT + "/chat",
                        body("message", message, "thread_id", threadId, "stream", false))));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                statuses.add(answer.get().statusCode());
            }
        }

        assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(7);
        assertThat(service.components.runs().listByThread(ThreadId.of(threadId))).hasSize(2)
                .allSatisfy(run -> assertThat(run.status()).isEqualTo(RunStatus.COMPLETED));
        assertThat(messages(threadId)).hasSize(4);
    }

    @Test
    void an_idempotent_retry_gets_the_same_run_and_its_whole_stream_and_stores_one_message() {
        service = new ServiceUnderTest();
        service.model.reply(slowAnswer()).reply(Reply.text("A second run, which must not happen."));
        String request = body("message", "Tell me slowly");

        String runId;
        String threadId;
        try (SseStream first = service.chat(AGENT, request, "Idempotency-Key", "retry-key-1")) {
            runId = first.header("X-Run-Id");
            threadId = first.header("X-Thread-Id");
            assertThat(first.next(Duration.ofSeconds(5)).type()).isEqualTo("token");
        }   // the connection drops: the client retries

        SseStream.Frames retried;
        try (SseStream retry = service.chat(AGENT, request, "Idempotency-Key", "retry-key-1")) {
            assertThat(retry.response.statusCode()).isEqualTo(200);
            assertThat(retry.header("X-Run-Id")).isEqualTo(runId);
            retried = retry.readToEnd();
        }
        HttpResponse<String> reused = service.send(java.net.http.HttpRequest.newBuilder(
                        service.uri("/api/agents/" + AGENT + "/chat"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Idempotency-Key", "retry-key-1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body("message", "Something else", "stream", false))));

        assertThat(retried.tokens()).isEqualTo(SLOW_ANSWER);
        assertThat(retried.ids().getFirst()).as("replayed from the start").isEqualTo(1L);
        assertThat(retried.last("done").get("run_id").asText()).isEqualTo(runId);
        assertThat(service.model.requests()).as("one model call for the two requests").hasSize(1);
        assertThat(messages(threadId)).extracting(Message::content).containsExactly("Tell me slowly", SLOW_ANSWER);
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(parse(reused.body()).get("code").asText()).isEqualTo("idempotency_key_reused");
    }

    @Test
    void a_run_past_its_time_limit_ends_incomplete_with_an_error_event_and_keeps_its_answer() {
        service = new ServiceUnderTest(Map.of("MAX_RUN_SECONDS", "1"), components -> components);
        service.model.reply(Reply.builder().text("Partial ").pause(Duration.ofSeconds(30)).text("never").build());

        SseStream.Frames frames;
        String threadId;
        long started = System.nanoTime();
        try (SseStream stream = service.chat(AGENT, body("message", "Take your time"))) {
            threadId = stream.header("X-Thread-Id");
            frames = stream.readToEnd();
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(frames.last("error").get("code").asText()).isEqualTo("run_timeout");
        Run run = run(threadId);
        assertThat(run.status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(service.model.closedStreams()).isEqualTo(1);
        assertThat(messages(threadId)).extracting(Message::content).containsExactly("Take your time", "Partial ");
    }

    @Test
    void a_model_that_falls_silent_fails_the_run_after_the_idle_timeout() {
        service = new ServiceUnderTest(Map.of("MODEL_IDLE_TIMEOUT_SECONDS", "1"), components -> components);
        service.model.reply(Reply.builder().text("Then ").hang().build());

        SseStream.Frames frames;
        String threadId;
        try (SseStream stream = service.chat(AGENT, body("message", "Hello?"))) {
            threadId = stream.header("X-Thread-Id");
            frames = stream.readToEnd();
        }

        assertThat(frames.typesWithHeartbeats()).as("heartbeats kept the quiet stream open").contains("heartbeat");
        assertThat(frames.last("error").get("code").asText()).isEqualTo("model_timeout");
        assertThat(run(threadId).status()).isEqualTo(RunStatus.FAILED);
        assertThat(messages(threadId)).extracting(Message::content).containsExactly("Hello?", "Then ");
    }

    @Test
    void a_run_abandoned_by_a_stopped_instance_is_ended_its_answer_kept_and_its_thread_freed() {
        ThreadId threadId = ThreadId.of("thread_left_behind");
        RunId runId = RunId.of("run_left_behind");
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        service = ServiceUnderTest.startedAfter(Map.of("MAX_RUN_SECONDS", "1", "ABANDONED_RUN_GRACE_SECONDS", "1"), components -> {
            // What a crashed instance leaves: a claimed thread, a run in progress and the events it logged.
            components.threads().create(ChatThread.open(threadId, AgentId.of(AGENT), UserId.ANONYMOUS, "Question",
                    runId, longAgo));
            Message question = Message.fromUser(MessageId.of("msg_question"), threadId, runId, "Question", longAgo);
            components.messages().append(question);
            components.runs().create(Run.queue(runId, threadId, new dev.agentchat.domain.thread.ThreadScope(AgentId.of(AGENT), UserId.ANONYMOUS), 1, question.id(), longAgo)
                    .start(longAgo).state());
            components.events().append(threadId, runId, List.of(new RunEvent(1, new ChatEvent.Token("Half an ", longAgo)),
                    new RunEvent(2, new ChatEvent.Token("answer", longAgo))), Instant.now().plusSeconds(3_600));
        });
        service.model.reply(Reply.text("A fresh answer."));

        Await.until(() -> run(threadId.value()).status().isTerminal(), Duration.ofSeconds(10));
        Run ended = run(threadId.value());
        SseStream.Frames replay = replay(service, threadId.value(), runId.value(), null, null);
        HttpResponse<String> next = service.postJson("/api/agents/" + AGENT + "/chat",
                body("message", "Still there?", "thread_id", threadId.value(), "stream", false));

        assertThat(ended.status()).isEqualTo(RunStatus.FAILED);
        assertThat(ended.failure().code()).isEqualTo("run_abandoned");
        assertThat(messages(threadId.value())).extracting(Message::content, Message::status).startsWith(
                org.assertj.core.groups.Tuple.tuple("Question", MessageStatus.COMPLETE),
                org.assertj.core.groups.Tuple.tuple("Half an answer", MessageStatus.INCOMPLETE));
        assertThat(replay.ids()).as("the end is numbered past every id the dead instance may have sent")
                .containsExactly(1L, 2L, dev.agentchat.domain.chat.EventIdReservation.BLOCK + 1);
        assertThat(replay.last("error").get("code").asText()).isEqualTo("run_abandoned");
        assertThat(next.statusCode()).as("the thread is free again").isEqualTo(200);
    }

    @Test
    void a_service_that_stops_ends_its_runs_and_tells_their_clients() {
        ServiceUnderTest stopping = new ServiceUnderTest();
        stopping.model.reply(Reply.builder().text("Cut ").hang().build());

        try (SseStream stream = stopping.chat(AGENT, body("message", "Long question"))) {
            String threadId = stream.header("X-Thread-Id");
            assertThat(stream.next(Duration.ofSeconds(5)).type()).isEqualTo("token");

            stopping.close();

            assertThat(stream.readToEnd().last("error").get("code").asText()).isEqualTo("service_stopping");
            Run run = stopping.components.runs().listByThread(ThreadId.of(threadId)).getLast();
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(stopping.components.messages().listByThread(ThreadId.of(threadId))).extracting(Message::content)
                    .containsExactly("Long question", "Cut ");
        }
    }

    @Test
    void the_events_of_a_run_past_their_retention_are_gone_with_a_clear_answer() throws Exception {
        service = new ServiceUnderTest(Map.of("EVENT_RETENTION_SECONDS", "1", "APPROVAL_TIMEOUT_SECONDS", "1"),
                components -> components);
        service.model.reply(Reply.text("Soon forgotten."));
        JsonNode done = service.chatToDone(AGENT, body("message", "Hi"));
        String threadId = done.get("thread_id").asText();
        String runId = done.get("run_id").asText();

        // The retention runs on the service's own clock: the stream is asked for until it is past it.
        Await.until(() -> {
            try (SseStream stream = service.events(AGENT, threadId, runId, null, null)) {
                return stream.response.statusCode() == 410;
            }
        }, Duration.ofSeconds(10));

        try (SseStream stream = service.events(AGENT, threadId, runId, null, null)) {
            assertThat(stream.response.statusCode()).isEqualTo(410);
            assertThat(stream.header("Content-Type")).isEqualTo("application/problem+json");
        }
    }

    @Test
    void the_runs_of_a_thread_are_listed_and_one_is_read_with_its_steps() {
        service = new ServiceUnderTest();
        service.model.reply(Reply.text("Hello."));
        JsonNode done = service.chatToDone(AGENT, body("message", "Hi"));
        String threadId = done.get("thread_id").asText();
        String runId = done.get("run_id").asText();

        HttpResponse<String> list = service.get("/api/agents/" + AGENT + "/threads/" + threadId + "/runs");
        HttpResponse<String> one = service.get(runPath(threadId, runId));
        HttpResponse<String> unknown = service.get(runPath(threadId, "run_unknown"));
        int badLastEventId;
        try (SseStream bad = service.events(AGENT, threadId, runId, "not-a-number", null)) {
            badLastEventId = bad.response.statusCode();
        }

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(parse(list.body()).get("runs")).singleElement()
                .satisfies(run -> assertThat(run.get("id").asText()).isEqualTo(runId));
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(parse(one.body()).get("status").asText()).isEqualTo("completed");
        assertThat(parse(one.body()).get("steps")).as("the model call is a step").hasSize(1);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(parse(unknown.body()).get("code").asText()).isEqualTo("run_not_found");
        assertThat(badLastEventId).isEqualTo(400);
    }

    /** A client that asked the slow question, read the first events of its answer and left. */
    private record Left(String threadId, String runId, List<SseStream.Frame> events) {
        String text() {
            return events.stream().map(frame -> frame.data().get("content").asText()).collect(Collectors.joining());
        }
    }

    private Left askSlowlyAndLeaveAfter(int events) {
        try (SseStream stream = service.chat(AGENT, body("message", "Tell me slowly"))) {
            return new Left(stream.header("X-Thread-Id"), stream.header("X-Run-Id"), stream.nextEvents(events));
        }
    }

    private static SseStream.Frames replay(ServiceUnderTest on, String threadId, String runId, String lastEventId,
                                           String query) {
        try (SseStream stream = on.events(AGENT, threadId, runId, lastEventId, query)) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            return stream.readToEnd();
        }
    }

    private static String runPath(String threadId, String runId) {
        return "/api/agents/" + AGENT + "/threads/" + threadId + "/runs/" + runId;
    }

    private Run run(String threadId) {
        return service.components.runs().listByThread(ThreadId.of(threadId)).getLast();
    }

    private List<Message> messages(String threadId) {
        return service.components.messages().listByThread(ThreadId.of(threadId));
    }
}
