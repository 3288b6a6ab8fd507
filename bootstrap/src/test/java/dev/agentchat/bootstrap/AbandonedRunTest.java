package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the next instance makes of a run whose instance died (killed, or crashed) over real sockets:
 * the records and log such an instance leaves are written as it left them, including the events its
 * clients saw but the log never got, and the service started next to them recovers the run.
 */
class AbandonedRunTest {
    private static final String AGENT = "support-triage";
    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofHours(1));
    private static final Map<String, String> SHORT_RUNS = Map.of("MAX_RUN_SECONDS", "1", "ABANDONED_RUN_GRACE_SECONDS", "1");

    private final ThreadId threadId = ThreadId.of("thread_" + System.nanoTime());
    private final RunId runId = RunId.of("run_" + System.nanoTime());
    private final StepId stepId = StepId.of("step_" + System.nanoTime());
    private ServiceUnderTest service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void a_client_that_saw_events_the_log_never_got_still_receives_the_end_under_an_id_it_has_not_seen() {
        // given an instance killed after sending events 1-10 (10 a token) with only 1-9 logged
        service = ServiceUnderTest.startedAfter(SHORT_RUNS, components -> {
            leaveClaimedThreadAndRun(components);
            components.events().append(threadId, runId, tokens(1, 9), Instant.now().plusSeconds(3_600));
        });

        // when the client resumes after the last event it saw
        awaitEnded();
        SseStream.Frames resumed = resume("10");

        // then it gets the run's end, numbered past every id the dead instance may have sent
        assertThat(resumed.types()).containsExactly("error");
        assertThat(resumed.last("error").get("code").asText()).isEqualTo("run_abandoned");
        assertThat(resumed.ids().getFirst()).isGreaterThan(10L);
        assertThat(resume("9").ids()).as("a client that saw 9 gets the same end").isEqualTo(resumed.ids());
        assertThat(resume(null).ids()).as("the whole log: what was logged, then the end")
                .containsExactlyElementsOf(concat(LongStream.rangeClosed(1, 9).boxed().toList(), resumed.ids()));
    }

    @Test
    void a_run_killed_during_a_tool_call_ends_the_call_and_tells_its_clients_past_the_trace_they_saw() {
        // given an instance killed while a tool ran: the client saw trace_start as event 1, the log got nothing
        service = ServiceUnderTest.startedAfter(SHORT_RUNS, components -> {
            leaveClaimedThreadAndRun(components);
            components.steps().create(Step.begin(stepId, runId, threadId, 1, 0, "call_1", "search_knowledge_base",
                    "{\"query\":\"vpn\"}", LONG_AGO).state());
        });

        // when
        awaitEnded();
        SseStream.Frames resumed = resume("1");
        JsonNode run = parse(service.get(runPath()).body());

        // then the unfinished step ended failed, and the client hears of it and of the run's end under new ids
        assertThat(resumed.types()).containsExactly("trace_end", "error");
        assertThat(resumed.ids()).allSatisfy(id -> assertThat(id).isGreaterThan(1L));
        assertThat(resumed.events().getFirst().data().get("step_id").asText()).isEqualTo(stepId.value());
        assertThat(resumed.events().getFirst().data().get("status").asText()).isEqualTo("failed");
        JsonNode step = run.get("steps").get(0);
        assertThat(step.get("status").asText()).isEqualTo("failed");
        assertThat(step.get("error").asText()).contains("instance");
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("error").get("code").asText()).isEqualTo("run_abandoned");
    }

    @Test
    void recovery_frees_the_thread_of_the_run_it_ends_without_waiting_for_the_next_message() {
        // given
        service = ServiceUnderTest.startedAfter(SHORT_RUNS, components -> {
            leaveClaimedThreadAndRun(components);
        });

        // when
        awaitEnded();

        // then
        Await.until(() -> parse(service.get(threadPath()).body()).get("active_run_id").isNull(), Duration.ofSeconds(5));
        assertThat(parse(service.get(threadPath()).body()).get("messages")).hasSize(1);
    }

    @Test
    void resuming_a_finished_run_after_an_id_it_never_sent_is_refused_at_once_with_its_last_id() {
        // given a finished run whose last event is its done
        service = new ServiceUnderTest();
        service.model.reply(dev.agentchat.adapter.memory.model.Reply.text("Short answer."));
        JsonNode done = service.chatToDone(AGENT, body("message", "Hi"));
        String thread = done.get("thread_id").asText();
        String run = done.get("run_id").asText();
        long last = replayAll(thread, run).ids().getLast();

        // when
        HttpResponse<String> past = eventsAfter(thread, run, "Last-Event-ID", String.valueOf(last + 5));
        HttpResponse<String> pastByQuery = service.send(java.net.http.HttpRequest.newBuilder(
                service.uri(runPath(thread, run) + "/events?after=" + (last + 1))).header("Accept", "text/event-stream"));

        // then
        for (HttpResponse<String> refused : List.of(past, pastByQuery)) {
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = parse(refused.body());
            assertThat(problem.get("code").asText()).isEqualTo("unknown_event_id");
            assertThat(problem.get("last_event_id").asLong()).isEqualTo(last);
        }
        try (SseStream atTheEnd = service.events(AGENT, thread, run, String.valueOf(last), null)) {
            assertThat(atTheEnd.response.statusCode()).isEqualTo(200);
            assertThat(atTheEnd.readToEnd().events()).as("a client that saw the end is owed nothing").isEmpty();
        }
    }

    @Test
    void resuming_a_run_in_progress_after_an_id_it_has_not_sent_is_refused_on_its_own_instance_and_on_another() {
        // given a run in progress that has sent a few events
        service = new ServiceUnderTest();
        dev.agentchat.adapter.memory.model.Reply.Builder slow = dev.agentchat.adapter.memory.model.Reply.builder();
        slow.text("One ").text("two ").pause(Duration.ofSeconds(3)).text("three.")
                .finish(dev.agentchat.domain.chat.FinishReason.STOP);
        service.model.reply(slow.build());
        try (SseStream stream = service.chat(AGENT, body("message", "Count"))) {
            String thread = stream.header("X-Thread-Id");
            String run = stream.header("X-Run-Id");
            stream.nextEvents(2);

            // when
            HttpResponse<String> here = eventsAfter(thread, run, "Last-Event-ID", "50");
            try (ServiceUnderTest other = service.anotherInstance()) {
                HttpResponse<String> elsewhere = other.send(java.net.http.HttpRequest.newBuilder(
                                other.uri(runPath(thread, run) + "/events")).header("Accept", "text/event-stream")
                        .header("Last-Event-ID", "999999"));

                // then
                assertThat(here.statusCode()).isEqualTo(400);
                assertThat(parse(here.body()).get("last_event_id").asLong()).isEqualTo(2);
                assertThat(elsewhere.statusCode()).isEqualTo(400);
                assertThat(parse(elsewhere.body()).get("code").asText()).isEqualTo("unknown_event_id");
            }
            assertThat(stream.readToEnd().last("done")).isNotNull();
        }
    }

    /** What a dead instance leaves in the stores: the thread claimed by a run in progress, started long ago. */
    private void leaveClaimedThreadAndRun(Components components) {
        components.threads().create(ChatThread.open(threadId, AgentId.of(AGENT), UserId.ANONYMOUS, "Question", runId,
                LONG_AGO));
        Message question = Message.fromUser(MessageId.of("msg_" + System.nanoTime()), threadId, runId, "Question", LONG_AGO);
        components.messages().append(question);
        components.runs().create(Run.queue(runId, threadId, new ThreadScope(AgentId.of(AGENT), UserId.ANONYMOUS), 1,
                question.id(), LONG_AGO).start(LONG_AGO).state());
    }

    private void awaitEnded() {
        Await.until(() -> parse(service.get(runPath()).body()).get("status").asText().equals("failed"), Duration.ofSeconds(10));
    }

    private SseStream.Frames resume(String lastEventId) {
        return replayWith(threadId.value(), runId.value(), lastEventId);
    }

    private SseStream.Frames replayAll(String thread, String run) {
        return replayWith(thread, run, null);
    }

    private SseStream.Frames replayWith(String thread, String run, String lastEventId) {
        try (SseStream stream = service.events(AGENT, thread, run, lastEventId, null)) {
            assertThat(stream.response.statusCode()).isEqualTo(200);
            return stream.readToEnd();
        }
    }

    private HttpResponse<String> eventsAfter(String thread, String run, String header, String value) {
        return service.send(java.net.http.HttpRequest.newBuilder(service.uri(runPath(thread, run) + "/events"))
                .header("Accept", "text/event-stream").header(header, value));
    }

    private String threadPath() {
        return "/api/agents/" + AGENT + "/threads/" + threadId.value();
    }

    private String runPath() {
        return runPath(threadId.value(), runId.value());
    }

    private static String runPath(String thread, String run) {
        return "/api/agents/" + AGENT + "/threads/" + thread + "/runs/" + run;
    }

    private static List<RunEvent> tokens(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(n -> new RunEvent(n, new ChatEvent.Token("t" + n + " ", LONG_AGO)))
                .toList();
    }

    private static List<Long> concat(List<Long> first, List<Long> second) {
        List<Long> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
