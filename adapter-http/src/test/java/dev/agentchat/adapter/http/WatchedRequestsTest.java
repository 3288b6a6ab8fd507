package dev.agentchat.adapter.http;

import static dev.agentchat.adapter.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.adapter.http.RecordingTelemetry.Watched;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every request watched through the telemetry, from its first filter to its answer's last byte, ended with its
 * status and the template of the route that took it; the run a chat starts begun within the chat's request;
 * every event stream watched from its opening to its close.
 */
class WatchedRequestsTest {
    private final RecordingTelemetry telemetry = new RecordingTelemetry();
    private ApiOverMemory service;
    private ApiClient client;

    @BeforeEach
    void start() {
        service = ApiOverMemory.watchedBy(Observability.none().withTelemetry(telemetry), UnaryOperator.identity());
        client = new ApiClient(service.port());
        client.createAgent("helper");
    }

    @AfterEach
    void stop() {
        client.close();
        service.close();
    }

    @Test
    void a_request_ends_with_its_status_and_the_template_of_its_route_not_its_path() {
        ApiClient.Answer answer = client.get("/api/agents/helper/threads/no-such-thread?limit=5");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(endedRequest("GET")).isEqualTo(new Outcome.Responded(404, Optional.of("/api/agents/{agentId}/threads/{threadId}")));
    }

    @Test
    void a_request_no_route_takes_ends_with_no_route() {
        ApiClient.Answer answer = client.get("/no/such/path");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(endedRequest("GET")).isEqualTo(new Outcome.Responded(404, Optional.empty()));
    }

    @Test
    void a_method_a_route_does_not_take_ends_with_405_and_that_route() {
        ApiClient.Answer answer = client.delete("/health");

        assertThat(answer.status()).isEqualTo(405);
        assertThat(endedRequest("DELETE")).isEqualTo(new Outcome.Responded(405, Optional.of("/health")));
    }

    @Test
    void a_head_request_is_named_by_the_get_route_that_answers_it() {
        ApiClient.Answer answer = client.send(client.request("/health/ready").method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(endedRequest("HEAD")).isEqualTo(new Outcome.Responded(200, Optional.of("/health/ready")));
    }

    @Test
    void a_request_refused_by_a_filter_before_any_route_is_watched_too() {
        ApiClient.Answer answer = client.send(client.request("/health").header("Accept", "text/html;q=oops").GET());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(endedRequest("GET")).isEqualTo(new Outcome.Responded(400, Optional.empty()));
    }

    @Test
    void the_request_reads_its_callers_headers_for_a_trace_context() {
        client.send(client.request("/health").header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").GET());

        Work.HttpRequest request = (Work.HttpRequest) requests("GET").getFirst().work;
        assertThat(request.header().apply("traceparent")).contains("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(request.header().apply("tracestate")).isEmpty();
    }

    @Test
    void the_run_a_chat_starts_is_begun_within_the_chat_request_and_its_stream_too() {
        service.model.reply(Reply.text("Hello."));

        client.chat("helper", json("message", "Hi"));

        Watched chat = await().until(() -> endedRequests("POST").stream()
                .filter(request -> request.outcome().orElseThrow() instanceof Outcome.Responded responded
                        && responded.route().equals(Optional.of("/api/agents/{agentId}/chat"))).findFirst(), Optional::isPresent)
                .orElseThrow();
        assertThat(chat.outcome()).contains(new Outcome.Responded(200, Optional.of("/api/agents/{agentId}/chat")));
        Watched run = telemetry.begun(Work.AgentRun.class, work -> true).getFirst();
        assertThat(run.parent).isSameAs(chat);
        Watched stream = telemetry.begun(Work.EventStream.class, work -> true).getFirst();
        assertThat(stream.work).isEqualTo(new Work.EventStream("chat"));
        assertThat(stream.parent).isSameAs(chat);
        assertThat(stream.outcome()).contains(Outcome.DONE);
        assertThat(stream.ends()).isEqualTo(1);
    }

    @Test
    void a_stream_ends_before_the_request_it_answers() {
        service.model.reply(Reply.text("Hello."));

        client.chat("helper", json("message", "Hi"));

        Watched stream = telemetry.begun(Work.EventStream.class, work -> true).getFirst();
        await().until(() -> stream.parent.outcome().isPresent());
        assertThat(stream.outcome()).as("ended by the time its request ended").isPresent();
    }

    @Test
    void a_stream_is_watched_as_open_while_it_streams_and_ended_once_it_closes() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        service.model.reply(Reply.builder().await(release).text("Late.").build());

        try (ApiClient.OpenStream open = client.open(client.request("/api/agents/helper/chat")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json("message", "Hi"))))) {
            List<Watched> streams = await().until(() -> telemetry.begun(Work.EventStream.class, work -> true),
                    begun -> !begun.isEmpty());
            Watched chat = streams.getFirst().parent;
            assertThat(streams.getFirst().outcome()).isEmpty();
            assertThat(chat.outcome()).as("the request lasts as long as its stream").isEmpty();

            release.complete(null);

            await().until(open::ended);
            await().until(() -> chat.outcome().isPresent());
            assertThat(streams.getFirst().outcome()).contains(Outcome.DONE);
            assertThat(chat.outcome()).contains(new Outcome.Responded(200, Optional.of("/api/agents/{agentId}/chat")));
        }
    }

    @Test
    void the_events_of_a_run_read_again_are_a_run_events_stream() {
        service.model.reply(Reply.text("Hello."));
        String runId;
        String threadId;
        try (ApiClient.OpenStream open = client.open(client.request("/api/agents/helper/chat")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json("message", "Hi"))))) {
            runId = open.header("X-Run-Id");
            threadId = open.header("X-Thread-Id");
            await().until(open::ended);
        }

        client.stream(client.request("/api/agents/helper/threads/" + threadId + "/runs/" + runId + "/events").GET());

        Watched events = await().until(() -> telemetry.begun(Work.EventStream.class, work -> work.kind().equals("run_events")),
                begun -> begun.size() == 1 && begun.getFirst().outcome().isPresent()).getFirst();
        assertThat(events.parent.work).isInstanceOf(Work.HttpRequest.class);
        await().until(() -> events.parent.outcome().isPresent());
        assertThat(events.parent.outcome()).contains(new Outcome.Responded(200,
                Optional.of("/api/agents/{agentId}/threads/{threadId}/runs/{runId}/events")));
    }

    @Test
    void an_ag_ui_run_is_an_ag_ui_stream() {
        service.model.reply(Reply.text("Hello."));
        ObjectNode input = ApiClient.JSON.createObjectNode().put("threadId", "t-1").put("runId", "r-1");
        input.putArray("messages").addObject().put("id", "u1").put("role", "user").put("content", "Hi");

        client.stream(client.request("/api/agents/helper/ag-ui").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(input.toString())));

        Watched stream = await().until(() -> telemetry.begun(Work.EventStream.class, work -> work.kind().equals("ag_ui")),
                begun -> begun.size() == 1 && begun.getFirst().outcome().isPresent()).getFirst();
        assertThat(stream.outcome()).contains(Outcome.DONE);
        assertThat(telemetry.begun(Work.AgentRun.class, work -> true).getFirst().parent).isSameAs(stream.parent);
    }

    /** The requests of {@code method} begun so far. */
    private List<Watched> requests(String method) {
        return telemetry.begun(Work.HttpRequest.class, work -> work.method().equals(method));
    }

    private List<Watched> endedRequests(String method) {
        return requests(method).stream().filter(request -> request.outcome().isPresent()).toList();
    }

    /** How the one request of {@code method} ended, once it has (its end is told after its last byte is sent). */
    private Outcome endedRequest(String method) {
        List<Watched> ended = await().atMost(Duration.ofSeconds(10)).until(() -> endedRequests(method), list -> !list.isEmpty());
        assertThat(requests(method)).hasSize(1);
        assertThat(ended.getFirst().ends()).isEqualTo(1);
        return ended.getFirst().outcome().orElseThrow();
    }
}
