package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error outside a stream is problem+json with the right status, and a refused request changes nothing. */
class ErrorResponsesTest {
    private static final String CHAT = "/api/agents/support-triage/chat";
    private static ServiceUnderTest service;

    @BeforeAll
    static void start() {
        service = new ServiceUnderTest();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static Stream<Arguments> badChats() {
        String big = "x".repeat(300 * 1024);
        return Stream.of(
                chat("malformed JSON", "application/json", "text/event-stream", "{\"message\": ", 400, "invalid_request"),
                chat("a JSON array", "application/json", "text/event-stream", "[\"hi\"]", 400, "invalid_request"),
                chat("an empty body", "application/json", "text/event-stream", "", 400, "invalid_request"),
                chat("no message", "application/json", "text/event-stream", "{}", 400, "invalid_request"),
                chat("a number as message", "application/json", "text/event-stream", "{\"message\": 5}", 400, "invalid_request"),
                chat("a blank message", "application/json", "text/event-stream", body("message", "  \n "), 400, "invalid_request"),
                chat("stream not a boolean", "application/json", "text/event-stream", "{\"message\":\"hi\",\"stream\":\"yes\"}", 400, "invalid_request"),
                chat("thread_id not a string", "application/json", "text/event-stream", "{\"message\":\"hi\",\"thread_id\":12}", 400, "invalid_request"),
                chat("thread_id not an id", "application/json", "text/event-stream", body("message", "hi", "thread_id", "no such/id"), 400, "invalid_request"),
                chat("an unknown thread", "application/json", "text/event-stream", body("message", "hi", "thread_id", "thread_missing"), 404, "thread_not_found"),
                chat("a client that does not accept SSE", "application/json", "application/json", body("message", "hi"), 406, "not_acceptable"),
                chat("a client that refuses SSE with q=0", "application/json", "text/event-stream;q=0, application/json", body("message", "hi"), 406, "not_acceptable"),
                chat("a client that does not accept JSON", "application/json", "text/event-stream", body("message", "hi", "stream", false), 406, "not_acceptable"),
                chat("a body over the limit", "application/json", "text/event-stream", body("message", big), 413, "payload_too_large"),
                chat("a message over the limit", "application/json", "text/event-stream", body("message", "y".repeat(40_000)), 413, "message_too_large"),
                chat("a text/plain body", "text/plain", "text/event-stream", body("message", "hi"), 415, "unsupported_media_type"),
                chat("a form body", "application/x-www-form-urlencoded", "text/event-stream", "message=hi", 415, "unsupported_media_type"),
                chat("no content type", null, "text/event-stream", body("message", "hi"), 415, "unsupported_media_type"),
                chat("an unreadable content type", "/", "text/event-stream", body("message", "hi"), 415, "unsupported_media_type"));
    }

    private static Arguments chat(String name, String contentType, String accept, String body, int status, String code) {
        return Arguments.of(name, contentType, accept, body, status, code);
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("badChats")
    void a_bad_chat_request_gets_a_problem(String name, String contentType, String accept, String body, int status,
                                           String code) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(CHAT))
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }

        assertProblem(service.send(request), status, code);
        assertNothingWasStored();
    }

    @Test
    void a_chunked_body_over_the_limit_is_refused_without_being_read_whole() {
        byte[] big = body("message", "z".repeat(400 * 1024)).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(CHAT))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

        assertProblem(service.send(request), 413, "payload_too_large");
        assertNothingWasStored();
    }

    static Stream<Arguments> badReads() {
        return Stream.of(
                Arguments.of("GET", "/api/agents/nobody/threads", 404, "agent_not_found"),
                Arguments.of("POST", "/api/agents/nobody/chat", 404, "agent_not_found"),
                Arguments.of("GET", "/api/agents/support-triage/threads/thread_missing", 404, "thread_not_found"),
                Arguments.of("DELETE", "/api/agents/support-triage/threads/thread_missing", 404, "thread_not_found"),
                Arguments.of("GET", "/api/agents/support-triage/threads?limit=0", 400, "invalid_request"),
                Arguments.of("GET", "/api/agents/support-triage/threads?limit=101", 400, "invalid_request"),
                Arguments.of("GET", "/api/agents/support-triage/threads?limit=ten", 400, "invalid_request"),
                Arguments.of("GET", "/api/agents/support-triage/threads?offset=-1", 400, "invalid_request"),
                Arguments.of("GET", "/api/agents/support-triage/threads?status=archived", 400, "invalid_request"),
                Arguments.of("DELETE", "/api/agents/support-triage/threads/thread_missing?hard_delete=maybe", 400, "invalid_request"),
                Arguments.of("GET", "/api/agents/support-triage/chat", 405, "method_not_allowed"),
                Arguments.of("POST", "/api/agents/support-triage/threads", 405, "method_not_allowed"),
                Arguments.of("PUT", "/api/agents/support-triage/threads/thread_x", 405, "method_not_allowed"),
                Arguments.of("POST", "/health", 405, "method_not_allowed"),
                Arguments.of("GET", "/api/nothing/here", 404, "not_found"),
                Arguments.of("GET", "/nothing", 404, "not_found"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("badReads")
    void a_bad_request_gets_a_problem(String method, String path, int status, String code) {
        HttpRequest.BodyPublisher noBody = HttpRequest.BodyPublishers.noBody();
        boolean chat = path.endsWith("/chat");
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(path)).method(method,
                chat ? HttpRequest.BodyPublishers.ofString(body("message", "hi")) : noBody);
        if (chat) {
            request.header("Content-Type", "application/json").header("Accept", "text/event-stream");
        }

        assertProblem(service.send(request), status, code);
    }

    @Test
    void method_not_allowed_names_the_allowed_methods() {
        assertThat(service.get(CHAT).headers().firstValue("Allow")).hasValue("POST");
        assertThat(service.send(HttpRequest.newBuilder(service.uri("/api/agents/support-triage/threads/thread_x"))
                .PUT(HttpRequest.BodyPublishers.noBody())).headers().firstValue("Allow")).hasValue("GET, DELETE");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = parse(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("code").asText()).isEqualTo(code);
        assertThat(problem.get("type").asText()).isEqualTo("urn:agentchat:problem:" + code);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static void assertNothingWasStored() {
        assertThat(parse(service.get("/api/agents/support-triage/threads?status=all").body()).get("total").asLong())
                .as("threads after a refused request").isZero();
        assertThat(service.model.requests()).as("model calls after a refused request").isEmpty();
    }
}
