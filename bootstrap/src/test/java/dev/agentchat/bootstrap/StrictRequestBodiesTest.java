package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.chat.FinishReason;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A body is stored exactly as sent or refused: JSON that a lenient parser would read one way and a
 * proxy another (trailing data, two documents, duplicate keys), and text that is not Unicode
 * (invalid UTF-8, lone surrogates), are 400 and store nothing.
 */
class StrictRequestBodiesTest {
    private static final String CHAT = "/api/agents/support-triage/chat";
    private static final String KEY = "strict-bodies-admin-key";
    private static ServiceUnderTest service;

    @BeforeAll
    static void start() {
        service = new ServiceUnderTest(Map.of("ADMIN_API_KEY", KEY), UnaryOperator.identity());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static Stream<Arguments> bodiesNotStoredAsSent() {
        return Stream.of(
                Arguments.of("trailing data", ascii("{\"message\":\"hi\"}garbage")),
                Arguments.of("a second document", ascii("{\"message\":\"hi\"} {\"message\":\"again\"}")),
                Arguments.of("a second value", ascii("{\"message\":\"hi\"}[]")),
                Arguments.of("a duplicate key", ascii("{\"message\":\"a\",\"message\":\"b\"}")),
                Arguments.of("a duplicate key in a nested object", ascii("{\"message\":\"a\",\"x\":{\"k\":1,\"k\":2}}")),
                Arguments.of("an overlong slash", utf8("{\"message\":\"a", 0xc0, 0xaf, "b\"}")),
                Arguments.of("an overlong three-byte slash", utf8("{\"message\":\"a", 0xe0, 0x80, 0xaf, "b\"}")),
                Arguments.of("a byte that is never UTF-8", utf8("{\"message\":\"a", 0xff, "b\"}")),
                Arguments.of("a lone continuation byte", utf8("{\"message\":\"a", 0x80, "b\"}")),
                Arguments.of("a truncated sequence", utf8("{\"message\":\"a", 0xe2, 0x82, "\"}")),
                Arguments.of("a code point past U+10FFFF", utf8("{\"message\":\"a", 0xf4, 0x90, 0x80, 0x80, "\"}")),
                Arguments.of("an encoded high surrogate", utf8("{\"message\":\"a", 0xed, 0xa0, 0x80, "b\"}")),
                Arguments.of("an encoded low surrogate", utf8("{\"message\":\"a", 0xed, 0xb0, 0x80, "b\"}")),
                Arguments.of("an invalid byte outside the strings", utf8("{\"message\":\"hi\"}", 0xff)),
                Arguments.of("an escaped lone high surrogate", ascii("{\"message\":\"a\\ud800b\"}")),
                Arguments.of("an escaped lone low surrogate", ascii("{\"message\":\"a\\udc00b\"}")),
                Arguments.of("an escaped high surrogate at the end", ascii("{\"message\":\"a\\ud83d\"}")),
                Arguments.of("escaped surrogates in the wrong order", ascii("{\"message\":\"\\ude00\\ud83d\"}")),
                Arguments.of("an escaped lone surrogate in a key", ascii("{\"message\":\"hi\",\"\\ud800\":1}")),
                Arguments.of("an escaped lone surrogate deep inside", ascii("{\"message\":\"hi\",\"x\":[{\"y\":[\"\\udfff\"]}]}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodiesNotStoredAsSent")
    void a_chat_body_that_is_not_one_strict_json_document_is_refused(String name, byte[] body) {
        HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri(CHAT))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertProblem(response, 400, "invalid_request");
        assertNothingWasStored();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodiesNotStoredAsSent")
    void an_agent_body_that_is_not_one_strict_json_document_is_refused(String name, byte[] body) {
        HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri("/api/agents"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertProblem(response, 400, "invalid_request");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedContentTypes")
    void a_malformed_content_type_is_refused_as_unsupported(String path, String contentType) {
        HttpResponse<String> response = service.send(HttpRequest.newBuilder(service.uri(path))
                .header("Content-Type", contentType)
                .header("Accept", "text/event-stream, application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\"}")));

        assertProblem(response, 415, "unsupported_media_type");
        assertNothingWasStored();
    }

    static Stream<Arguments> malformedContentTypes() {
        return Stream.of(CHAT, "/api/agents").flatMap(path -> Stream.of(
                Arguments.of(path, "application/json; boundary=\""),
                Arguments.of(path, "application/json; charset=\"utf-8"),
                Arguments.of(path, "application/json; =x"),
                Arguments.of(path, "application/json; a=b c"),
                Arguments.of(path, "application json"),
                Arguments.of(path, "application/json; charset")));
    }

    @Test
    void whitespace_after_the_document_and_escaped_surrogate_pairs_are_fine() {
        try (ServiceUnderTest fresh = new ServiceUnderTest()) {
            // given a body with an escaped pair, a character outside the basic plane written raw, and trailing whitespace
            byte[] body = "{\"message\":\"smile \\ud83d\\ude00 and \uD83D\uDE03\"}\r\n \t".getBytes(StandardCharsets.UTF_8);
            fresh.model.reply(Reply.builder().text("Hello.").finish(FinishReason.STOP).build());

            // when
            HttpResponse<String> response = fresh.send(HttpRequest.newBuilder(fresh.uri(CHAT))
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

            // then the message is stored as sent
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String threadId = response.headers().firstValue("X-Thread-Id").orElseThrow();
            JsonNode thread = parse(fresh.get("/api/agents/support-triage/threads/" + threadId).body());
            assertThat(thread.get("messages").get(0).get("content").asText()).isEqualTo("smile \uD83D\uDE00 and \uD83D\uDE03");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodyRoutes")
    void a_chunked_body_whose_chunk_size_cannot_be_read_is_refused(String route) {
        // given a chunked body whose first chunk size is negative, sent as it is on the wire
        String head = "POST " + route + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + KEY + "\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n-1\r\n\r\n";

        // when
        RawHttpExchange.Answer answer = RawHttpExchange.exchange(service.port(), ascii(head), false, Duration.ofSeconds(5));

        // then
        assertThat(answer.status()).as(answer.trouble() + " " + new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(parse(new String(answer.body(), StandardCharsets.UTF_8)).get("code").asText()).isEqualTo("invalid_request");
        assertNothingWasStored();
    }

    static Stream<String> bodyRoutes() {
        return Stream.of(CHAT, "/api/agents");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = parse(response.body());
        assertThat(problem.get("code").asText()).isEqualTo(code);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static void assertNothingWasStored() {
        assertThat(parse(service.get("/api/agents/support-triage/threads?status=all").body()).get("total").asLong())
                .as("threads after a refused request").isZero();
        assertThat(service.model.requests()).as("model calls after a refused request").isEmpty();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Text parts as UTF-8 and integers as raw bytes, in order. */
    private static byte[] utf8(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer b) {
                out.write(b);
            } else {
                out.writeBytes(part.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
