package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.chat.FinishReason;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP edge: malformed and ambiguous requests, HEAD, and clients that are slow on purpose. Every
 * refusal is a problem+json answer, never a 500 and never silence; a request whose framing cannot be
 * trusted is answered and its connection closed.
 */
class HttpEdgeTest {
    private static final String AGENT = "support-triage";
    private static final String CHAT = "/api/agents/" + AGENT + "/chat";
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(5);

    private ServiceUnderTest service;

    @BeforeEach
    void start() {
        service = new ServiceUnderTest();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    // ---- malformed headers: 400, or ignored where HTTP says so ----

    @Test
    void an_accept_header_with_a_malformed_quality_is_a_bad_request_on_chat() {
        HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri(CHAT))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream;q=abc")
                .POST(HttpRequest.BodyPublishers.ofString(body("message", "hi"))));

        assertProblem(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(),
                400, "invalid_request");
    }

    @Test
    void an_accept_header_with_a_malformed_quality_is_a_bad_request_on_a_runs_events() {
        JsonNode done = finishedTurn();
        String events = "/api/agents/" + AGENT + "/threads/" + done.get("thread_id").asText() + "/runs/"
                + done.get("run_id").asText() + "/events";

        HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri(events))
                .header("Accept", "text/event-stream;q=abc").GET());

        assertProblem(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(),
                400, "invalid_request");
    }

    @Test
    void a_range_past_the_end_of_a_document_is_not_an_error_of_the_server() {
        HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri("/docs/index.html"))
                .header("Range", "bytes=99999999-").GET());

        assertThat(response.statusCode()).as(response.body()).isIn(200, 416);
    }

    @Test
    void an_if_modified_since_that_is_no_date_is_ignored() {
        HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri("/docs/index.html"))
                .header("If-Modified-Since", "garbage").GET());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("<html");
    }

    @Test
    void a_document_not_modified_since_the_date_sent_is_304_without_a_body() {
        HttpResponse<String> first = service.get("/docs/index.html");
        // the answer's own date: after the document's last change (Last-Modified drops its milliseconds)
        String date = first.headers().firstValue("Date").orElseThrow();

        HttpResponse<String> again = service.send(HttpRequest.newBuilder(service.uri("/docs/index.html"))
                .header("If-Modified-Since", date).GET());

        assertThat(again.statusCode()).as(again.body()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    // ---- request framing: answered 400 and closed ----

    @Test
    void a_transfer_coding_other_than_chunked_is_not_implemented_and_the_connection_closed() {
        assertRefusedAndClosed(chatHead("Transfer-Encoding: gzip, chunked\r\n") + "0\r\n\r\n", 501);
    }

    @Test
    void a_malformed_chunk_size_is_answered_and_the_connection_closed() {
        assertRefusedAndClosed(chatHead("Transfer-Encoding: chunked\r\n") + "zz\r\n{}\r\n0\r\n\r\n", 400);
        assertRefusedAndClosed(chatHead("Transfer-Encoding: chunked\r\n") + "zz\r\nab\r\n0\r\n\r\n", 400);
        assertRefusedAndClosed(chatHead("Connection: close\r\nTransfer-Encoding: chunked\r\n") + "zz\r\n{}\r\n0\r\n\r\n", 400);
        assertRefusedAndClosed(chatHead("Transfer-Encoding: chunked\r\n") + "ffffffffffffffffffff\r\nab\r\n0\r\n\r\n", 400);
    }

    @Test
    void a_control_character_in_the_method_is_a_bad_request_not_an_error_of_the_server() {
        assertRefusedAndClosed("GET\u0000 /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400);
    }

    @Test
    void an_if_match_that_is_no_entity_tag_is_a_bad_request_on_the_documents_and_on_the_api() {
        assertRefusedAndClosed("GET /docs/index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-Match: \"\r\n\r\n", 400);
        assertRefusedAndClosed("GET /docs/index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: abc\r\n\r\n", 400);
        assertRefusedAndClosed("PUT /api/agents/" + AGENT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-Match: W/\"1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", 400);
    }

    @Test
    void valid_entity_tag_conditions_reach_the_documents() {
        try (RawHttp client = new RawHttp(service.port())) {
            RawHttp.Response response = client.send("GET /docs/index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "If-None-Match: \"a\", W/\"b\"\r\n\r\n").read();

            assertThat(response.status()).isIn(200, 304);
        }
    }

    @Test
    void a_negative_content_length_is_answered_and_the_connection_closed() {
        assertRefusedAndClosed(chatHead("Content-Length: -1\r\n") + "{}", 400);
    }

    @Test
    void two_different_content_lengths_are_refused() {
        String json = body("message", "hi");
        assertRefusedAndClosed(chatHead("Content-Length: " + json.length() + "\r\nContent-Length: 2\r\n") + json, 400);
        assertThat(runsStarted()).isZero();
    }

    @Test
    void a_content_length_with_a_transfer_encoding_is_refused() {
        String json = body("message", "hi");
        String chunked = Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n";
        assertRefusedAndClosed(chatHead("Content-Length: " + chunked.length() + "\r\nTransfer-Encoding: chunked\r\n")
                + chunked, 400);
        assertThat(runsStarted()).isZero();
    }

    @Test
    void a_lowercase_method_never_reaches_a_route() {
        String json = body("message", "hi");
        try (RawHttp client = new RawHttp(service.port())) {
            RawHttp.Response response = client.send("post " + CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: " + json.length()
                    + "\r\n\r\n" + json).read();

            assertProblem(response.status(), response.header("content-type").orElse(""), response.body(), 400,
                    "invalid_request");
        }
        assertThat(runsStarted()).isZero();
    }

    @Test
    void the_method_is_checked_as_sent_also_right_after_a_body_on_the_same_connection() {
        String json = body("message", "hi");
        try (RawHttp client = new RawHttp(service.port())) {
            String afterBody = "POST /api/agents/nobody/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.length() + "\r\n\r\n" + json;
            assertThat(client.send(afterBody).read().status()).isEqualTo(404);
            assertThat(client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read().status()).isEqualTo(200);

            assertThat(client.send(afterBody).read().status()).isEqualTo(404);
            RawHttp.Response lowercase = client.send("get /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
            assertThat(lowercase.status()).isEqualTo(400);
        }
    }

    @Test
    void the_method_is_checked_as_sent_also_after_a_body_of_many_kilobytes() {
        String json = body("message", "x".repeat(12 * 1024));
        try (RawHttp client = new RawHttp(service.port())) {
            String large = "POST /api/agents/nobody/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.length() + "\r\n\r\n" + json;
            assertThat(client.send(large).read().status()).isEqualTo(404);
            RawHttp.Response lowercase = client.send("get /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
            assertThat(lowercase.status()).isEqualTo(400);
        }
    }

    @Test
    void a_request_line_split_across_reads_is_checked_whole_when_the_bytes_kept_grow_in_between() throws Exception {
        String json = body("message", "x".repeat(3 * 1024));
        try (RawHttp client = new RawHttp(service.port())) {
            // The first read ends inside the next request line; the second brings headers enough to make the
            // connection keep more bytes: the line's start must survive that.
            client.send("POST /api/agents/nobody/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.length() + "\r\n\r\n" + json + "get /hea");
            Thread.sleep(300);   // lets the server read what came so far, so the rest comes in a read of its own
            RawHttp.Response first = client.send("lth HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "p".repeat(8 * 1024)
                    + "\r\n\r\n").read();
            assertThat(first.status()).isEqualTo(404);
            assertThat(client.read().status()).isEqualTo(400);
        }
    }

    @Test
    void headers_just_under_the_limit_pass_and_just_over_it_are_431() {
        try (RawHttp client = new RawHttp(service.port())) {
            RawHttp.Response under = client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                    + "a".repeat(15 * 1024) + "\r\n\r\n").read();
            assertThat(under.status()).isEqualTo(200);
        }
        try (RawHttp client = new RawHttp(service.port())) {
            RawHttp.Response over = client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                    + "a".repeat(17 * 1024) + "\r\n\r\n").read();
            assertThat(over.status()).isEqualTo(431);
        }
    }

    // ---- HEAD and oversized headers ----

    @Test
    void head_is_answered_like_get_without_a_body() {
        HttpResponse<String> get = service.get("/api/agents/" + AGENT);
        try (RawHttp client = new RawHttp(service.port())) {
            RawHttp.Response head = client.send("HEAD /api/agents/" + AGENT + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read(true);

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-type")).contains("application/json");
            assertThat(head.header("etag")).isEqualTo(get.headers().firstValue("ETag"));
            assertThat(head.header("content-length")).contains(
                    Integer.toString(get.body().getBytes(StandardCharsets.UTF_8).length));

            // no body follows: the next answer on the connection starts right away
            RawHttp.Response health = client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void head_on_health_and_on_an_unknown_thread_answer_as_get_would_without_a_body() {
        try (RawHttp client = new RawHttp(service.port())) {
            RawHttp.Response health = client.send("HEAD /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read(true);
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.header("content-length")).contains("15");

            RawHttp.Response missing = client.send("HEAD /api/agents/" + AGENT + "/threads/thread_nope HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n").read(true);
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("content-type")).contains("application/problem+json");

            RawHttp.Response after = client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
            assertThat(after.status()).isEqualTo(200);
        }
    }

    @Test
    void oversized_request_headers_are_431() {
        try (RawHttp client = new RawHttp(service.port())) {
            RawHttp.Response response = client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                    + "a".repeat(64 * 1024) + "\r\n\r\n").read();

            assertProblem(response.status(), response.header("content-type").orElse(""), response.body(), 431,
                    "request_header_fields_too_large");
        }
    }

    // ---- problem members ----

    @Test
    void the_run_finished_problem_keeps_status_for_the_http_status_and_names_the_runs_status_apart() {
        JsonNode done = finishedTurn();

        HttpResponse<String> cancel = service.post("/api/agents/" + AGENT + "/threads/" + done.get("thread_id").asText()
                + "/runs/" + done.get("run_id").asText() + "/cancel");

        assertThat(cancel.statusCode()).isEqualTo(409);
        JsonNode problem = parse(cancel.body());
        assertThat(problem.get("status").isInt()).as(cancel.body()).isTrue();
        assertThat(problem.get("status").asInt()).isEqualTo(409);
        assertThat(problem.get("run_status").asText()).isEqualTo("completed");
        assertThat(problem.get("code").asText()).isEqualTo("run_finished");
    }

    @Test
    void no_problem_extension_can_take_the_name_of_a_member_rfc_9457_defines() {
        dev.agentchat.adapter.http.problem.Problem problem = dev.agentchat.adapter.http.problem.Problem.badRequest("x");
        for (String member : List.of("type", "title", "status", "detail", "instance", "code")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> problem.with(member, "another meaning"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void a_resume_after_an_event_id_the_run_never_sent_is_a_bad_request_naming_the_last_id() throws Exception {
        // the error handling alone, on a server of its own, with a route that refuses as the events route does
        io.helidon.webserver.WebServer server = io.helidon.webserver.WebServer.builder().host("127.0.0.1").port(0)
                .routing(routing -> {
                    dev.agentchat.adapter.http.problem.Problems.handleErrors(routing);
                    routing.get("/events", (req, res) -> {
                        throw new dev.agentchat.domain.refusal.UnknownEventId(
                                dev.agentchat.domain.run.RunId.of("run_resumed"), 12, 7);
                    });
                }).build().start();
        try (RawHttp client = new RawHttp(server.port())) {
            RawHttp.Response response = client.send("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();

            assertProblem(response.status(), response.header("content-type").orElse(""), response.body(), 400,
                    "unknown_event_id");
            assertThat(parse(response.body()).get("last_event_id").asLong()).isEqualTo(7);
        } finally {
            server.stop();
        }
    }

    @Test
    void head_on_a_runs_events_answers_the_streams_headers_and_ends() {
        JsonNode done = finishedTurn();
        String events = "/api/agents/" + AGENT + "/threads/" + done.get("thread_id").asText() + "/runs/"
                + done.get("run_id").asText() + "/events";
        try (RawHttp client = new RawHttp(service.port())) {
            RawHttp.Response head = client.send("HEAD " + events + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read(true);

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(head.header("x-run-id")).contains(done.get("run_id").asText());

            RawHttp.Response after = client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
            assertThat(after.status()).isEqualTo(200);
        }
    }

    // ---- slow clients ----

    @Test
    void a_client_that_sends_half_its_headers_is_let_go_within_the_read_timeout() {
        restart(Map.of("REQUEST_READ_TIMEOUT_SECONDS", "1"));
        try (RawHttp client = new RawHttp(service.port())) {
            client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");

            assertThat(client.closedWithin(CLOSE_PATIENCE)).as("the connection is closed").isTrue();
        }
    }

    @Test
    void a_client_that_sends_half_its_body_is_answered_and_let_go_within_the_read_timeout() {
        restart(Map.of("REQUEST_READ_TIMEOUT_SECONDS", "1"));
        try (RawHttp client = new RawHttp(service.port())) {
            client.send(chatHead("Content-Length: 100\r\n") + "{\"message\":");

            assertThat(client.answersWithin(CLOSE_PATIENCE)).as("the server answers or closes").isTrue();
            assertThat(client.closedWithin(CLOSE_PATIENCE)).as("the connection is closed").isTrue();
        }
        assertThat(runsStarted()).isZero();
    }

    @Test
    void many_clients_that_send_half_their_headers_are_all_let_go_and_the_service_stays_up() {
        restart(Map.of("REQUEST_READ_TIMEOUT_SECONDS", "1"));
        List<RawHttp> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                slow.add(new RawHttp(service.port()).send("POST " + CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-"));
            }
            long deadline = System.nanoTime() + CLOSE_PATIENCE.toNanos();

            for (RawHttp client : slow) {
                Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
                assertThat(client.closedWithin(left)).as("every connection is closed within " + CLOSE_PATIENCE).isTrue();
            }
            assertThat(service.get("/health").statusCode()).isEqualTo(200);
        } finally {
            slow.forEach(RawHttp::close);
        }
        assertThat(runsStarted()).isZero();
    }

    @Test
    void connections_beyond_the_cap_wait_until_one_is_let_go() {
        restart(Map.of("MAX_CONNECTIONS", "2"));
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RawHttp client = new RawHttp(service.port());
                held.add(client);
                assertThat(client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read().status()).isEqualTo(200);
            }
            try (RawHttp third = new RawHttp(service.port())) {
                third.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(third.answersWithin(Duration.ofMillis(700))).as("a third connection is not served").isFalse();

                held.removeFirst().close();

                assertThat(third.read().status()).as("served once a slot is free").isEqualTo(200);
            }
        } finally {
            held.forEach(RawHttp::close);
        }
    }

    @Test
    void a_response_that_streams_longer_than_the_read_timeout_is_not_cut() {
        restart(Map.of("REQUEST_READ_TIMEOUT_SECONDS", "1"));
        service.model.reply(Reply.builder().text("Slow ").pause(Duration.ofMillis(2_500)).text("answer")
                .finish(FinishReason.STOP).build());

        JsonNode done = service.chatToDone(AGENT, body("message", "Take your time"));

        assertThat(done.get("run_id").asText()).startsWith("run_");
    }

    // ---- helpers ----

    private JsonNode finishedTurn() {
        service.model.reply(Reply.builder().text("Hello").finish(FinishReason.STOP).build());
        return service.chatToDone(AGENT, body("message", "hi"));
    }

    private void restart(Map<String, String> settings) {
        service.close();
        service = new ServiceUnderTest(settings, components -> components);
    }

    private static String chatHead(String framing) {
        return "POST " + CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\n" + framing + "\r\n";
    }

    private void assertRefusedAndClosed(String request, int status) {
        try (RawHttp client = new RawHttp(service.port())) {
            RawHttp.Response response = client.send(request).read();

            assertThat(response.status()).as(response.body()).isEqualTo(status);
            assertThat(response.header("content-type")).contains("application/problem+json");
            assertThat(parse(response.body()).get("status").asInt()).isEqualTo(status);
            assertThat(client.closedWithin(CLOSE_PATIENCE)).as("the connection is closed").isTrue();
        }
    }

    private static void assertProblem(int status, String contentType, String body, int expectedStatus, String code) {
        assertThat(status).as(body).isEqualTo(expectedStatus);
        assertThat(contentType).startsWith("application/problem+json");
        JsonNode problem = parse(body);
        assertThat(problem.get("status").asInt()).isEqualTo(expectedStatus);
        assertThat(problem.get("code").asText()).isEqualTo(code);
    }

    private long runsStarted() {
        return service.components.threads().list(
                new dev.agentchat.domain.thread.ThreadScope(dev.agentchat.domain.agent.AgentId.of(AGENT),
                        dev.agentchat.domain.thread.UserId.ANONYMOUS),
                java.util.EnumSet.allOf(dev.agentchat.domain.thread.ThreadStatus.class),
                dev.agentchat.ports.store.PageRequest.first(10)).total();
    }
}
