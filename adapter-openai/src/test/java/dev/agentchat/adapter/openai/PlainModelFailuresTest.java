package dev.agentchat.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import dev.agentchat.ports.contract.model.Chunks;
import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import dev.agentchat.ports.contract.model.FakeOpenAiServer.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a model failure tells a client: a stable code and a plain sentence, with the model service's
 * address, its own words and the exception that broke the call kept for the log (the detail and the
 * cause), through the real SDK and Netty against a local server.
 */
class PlainModelFailuresTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    /** A Java exception or error name, such as AnnotatedConnectException or PrematureCloseException. */
    private static final Pattern JAVA_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*(Exception|Error)\\b|\\bio\\.netty|\\bjava\\.");

    private final FakeOpenAiServer server = FakeOpenAiServer.start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void a_refused_connection_tells_the_client_neither_the_address_nor_the_exception() throws IOException {
        // given a port that was free a moment ago and has no listener now
        int port = FakeOpenAiServer.unusedPort();
        String address = "127.0.0.1:" + port;
        AzureOpenAiChatModel unreachable = AzureOpenAiChatModel.create(AzureOpenAiSettings.azure(
                "http://" + address, "2024-10-21", "gpt-4o-mini", Optional.of(FakeOpenAiServer.TEST_KEY))
                .withRetries(new AzureOpenAiSettings.Retries(1, Duration.ofMillis(10), Duration.ofMillis(50))));

        // when
        ModelFailure failure = failureOf(unreachable.stream(aQuestion()));

        // then the client's sentence is plain; the log's detail and the cause say what happened and where
        assertThat(failure.code()).isEqualTo("model_unavailable");
        assertPlain(failure.getMessage(), address);
        assertThat(failure.detail()).contains(address).containsPattern(JAVA_NAME);
        assertThat(failure.getCause()).isNotNull();
    }

    @Test
    void a_connection_cut_mid_answer_tells_the_client_neither_the_address_nor_the_exception() {
        // given
        server.enqueue(Reply.stream().data(Chunks.text("Half an ")).cut());

        // when
        ModelFailure failure = failureOf(AzureOpenAiChatModel.create(TestSettings.azure(server)).stream(aQuestion()));

        // then
        assertThat(failure.code()).isEqualTo("model_stream_cut");
        assertPlain(failure.getMessage(), address());
        assertThat(failure.detail()).contains(address()).containsPattern(JAVA_NAME);
        assertThat(failure.getCause()).isNotNull();
    }

    @Test
    void a_body_that_ends_early_tells_the_client_no_address() {
        // given a well-formed end of the body, but no finish reason and no [DONE]
        server.enqueue(Reply.stream().data(Chunks.text("Half an ")));

        // when
        ModelFailure failure = failureOf(AzureOpenAiChatModel.create(TestSettings.azure(server)).stream(aQuestion()));

        // then
        assertThat(failure.code()).isEqualTo("model_stream_cut");
        assertPlain(failure.getMessage(), address());
        assertThat(failure.detail()).contains(address());
    }

    @Test
    void the_services_own_words_go_to_the_log_not_to_the_client() {
        // given a refusal whose words name the organisation and the deployment
        server.enqueue(Reply.error(404, "{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"Deployment gpt-4o-secret "
                + "of organisation org-1234 does not exist.\"}}"));

        // when
        ModelFailure failure = failureOf(AzureOpenAiChatModel.create(TestSettings.azure(server)).stream(aQuestion()));

        // then
        assertThat(failure.code()).isEqualTo("model_error");
        assertPlain(failure.getMessage(), address());
        assertThat(failure.getMessage()).doesNotContain("org-1234").doesNotContain("gpt-4o-secret");
        assertThat(failure.detail()).contains("404").contains("org-1234").contains(address());
    }

    @Test
    void a_rate_limit_tells_the_client_how_long_to_wait_but_not_what_the_service_said() {
        // given a limit that outlasts the retries
        for (int i = 0; i < 4; i++) {
            server.enqueue(Reply.error(429, "{\"error\":{\"code\":\"429\",\"message\":\"Rate limit reached for org-1234.\"}}")
                    .header("Retry-After", "0"));
        }

        // when
        ModelFailure failure = failureOf(AzureOpenAiChatModel.create(TestSettings.azure(server)).stream(aQuestion()));

        // then
        assertThat(failure.code()).isEqualTo("rate_limited");
        assertPlain(failure.getMessage(), address());
        assertThat(failure.getMessage()).doesNotContain("org-1234").contains("Try again in 0 seconds");
        assertThat(failure.detail()).contains("org-1234");
    }

    @Test
    void a_chunk_that_is_not_json_is_quoted_only_in_the_detail() {
        // given
        server.enqueue(Reply.stream().data("{\"internal\": \"trace-77\"").done());

        // when
        ModelFailure failure = failureOf(AzureOpenAiChatModel.create(TestSettings.azure(server)).stream(aQuestion()));

        // then
        assertThat(failure.code()).isEqualTo("model_protocol_error");
        assertPlain(failure.getMessage(), address());
        assertThat(failure.getMessage()).doesNotContain("trace-77");
        assertThat(failure.detail()).contains("trace-77");
    }

    private String address() {
        return server.endpoint().substring("http://".length());
    }

    private static void assertPlain(String message, String address) {
        assertThat(message).as("the client's message")
                .isNotBlank()
                .endsWith(".")
                .doesNotContain(address)
                .doesNotContain("127.0.0.1")
                .doesNotContain(address.substring(address.indexOf(':')))
                .doesNotContainPattern(JAVA_NAME)
                .doesNotContain(FakeOpenAiServer.TEST_KEY);
    }

    private static ModelRequest aQuestion() {
        return new ModelRequest(AgentId.of("support-triage"), "You are a helpful assistant.", List.of(ModelMessage.user("Hello?")));
    }

    /** Reads until the stream fails, which it must. */
    private static ModelFailure failureOf(ModelStream stream) {
        try (stream) {
            ModelFailure failure = assertTimeoutPreemptively(LIMIT, () -> catchThrowableOfType(ModelFailure.class, () -> {
                for (Optional<ModelStreamItem> item = stream.next(); item.isPresent(); item = stream.next()) {
                    // the items before the failure
                }
            }));
            assertThat(failure).as("the stream's failure").isNotNull();
            return failure;
        }
    }
}
