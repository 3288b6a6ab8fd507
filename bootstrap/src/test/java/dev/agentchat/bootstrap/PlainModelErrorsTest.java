package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.openai.AzureOpenAiSettings;
import dev.agentchat.ports.contract.model.Chunks;
import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A model that fails tells the client a stable code and a plain sentence, in its {@code error} event
 * and in the stored run; the model service's address and the exception go to the log with the run's id.
 * The service runs the real OpenAI adapter against a local server, over real sockets.
 */
@ParameterizedClass
@EnumSource(Settings.ModelClient.class)
class PlainModelErrorsTest {
    /** The model client the service asks through: both say the same to clients and to the log. */
    @Parameter
    Settings.ModelClient client;

    private static final Pattern JAVA_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*(Exception|Error)\\b|\\bio\\.netty|\\bjava\\.");
    /** Where a model failure is logged (the turn that met it knows the run). */
    private static final Logger TURN_LOG = Logger.getLogger("dev.agentchat.ports.chat.TurnExecution");

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private FakeOpenAiServer openAi;
    private ServiceUnderTest service;

    @BeforeEach
    void listen() {
        TURN_LOG.addHandler(capture);
        openAi = FakeOpenAiServer.start();
    }

    @AfterEach
    void stop() {
        TURN_LOG.removeHandler(capture);
        if (service != null) {
            service.close();
        }
        openAi.close();
    }

    @Test
    void a_model_service_that_refuses_connections_is_reported_plainly_and_logged_in_full() throws IOException {
        // given a model service on a port that has no listener
        int port = FakeOpenAiServer.unusedPort();
        String address = "127.0.0.1:" + port;
        service = new ServiceUnderTest(Map.of(), components -> Main.withModel(components, client,
                AzureOpenAiSettings.azure("http://" + address, "2024-10-21", "gpt-4o-mini", Optional.of(FakeOpenAiServer.TEST_KEY))
                        .withRetries(new AzureOpenAiSettings.Retries(1, Duration.ofMillis(10), Duration.ofMillis(50)))));

        // when
        Failure failure = chatThatFails();

        // then
        assertThat(failure.code()).isEqualTo("model_unavailable");
        assertPlain(failure, address);
        assertLoggedWithRunId(failure.runId(), address);

        // and a chat that asks for one JSON answer gets a problem that is just as plain
        var answer = service.postJson("/api/agents/support-triage/chat", body("message", "Hello?", "stream", false));
        assertThat(answer.statusCode()).isEqualTo(502);
        assertThat(parse(answer.body()).get("code").asText()).isEqualTo("model_unavailable");
        assertThat(answer.body()).doesNotContain(address).doesNotContain("127.0.0.1").doesNotContainPattern(JAVA_NAME);
    }

    @Test
    void a_model_stream_cut_mid_answer_is_reported_plainly_and_logged_in_full() {
        // given a model service that cuts its connection after the first words
        openAi.enqueue(FakeOpenAiServer.Reply.stream().data(Chunks.role()).data(Chunks.text("Half an ")).cut());
        service = new ServiceUnderTest(Map.of(), components -> Main.withModel(components, client, FakeModelSettings.azure(openAi)));
        String address = openAi.endpoint().substring("http://".length());

        // when
        Failure failure = chatThatFails();

        // then
        assertThat(failure.code()).isEqualTo("model_stream_cut");
        assertPlain(failure, address);
        assertLoggedWithRunId(failure.runId(), address);
    }

    /** The code and messages a client sees of a failed chat: its error event and its stored run. */
    private record Failure(String runId, String code, String eventMessage, String runMessage, String runJson) {
    }

    private Failure chatThatFails() {
        try (SseStream stream = service.chat("support-triage", body("message", "Hello?"))) {
            String threadId = stream.header("X-Thread-Id");
            String runId = stream.header("X-Run-Id");
            JsonNode error = stream.readToEnd().last("error");
            String runJson = service.get("/api/agents/support-triage/threads/" + threadId + "/runs/" + runId).body();
            JsonNode run = parse(runJson);
            assertThat(run.get("status").asText()).isEqualTo("failed");
            assertThat(run.get("error").get("code").asText()).isEqualTo(error.get("code").asText());
            return new Failure(runId, error.get("code").asText(), error.get("message").asText(),
                    run.get("error").get("message").asText(), runJson + service.get("/api/agents/support-triage/threads/" + threadId).body());
        }
    }

    private static void assertPlain(Failure failure, String address) {
        for (String seen : List.of(failure.eventMessage(), failure.runMessage(), failure.runJson())) {
            assertThat(seen).as("what the client reads")
                    .doesNotContain(address)
                    .doesNotContain("127.0.0.1")
                    .doesNotContainPattern(JAVA_NAME);
        }
        assertThat(failure.eventMessage()).isNotBlank().endsWith(".");
    }

    private void assertLoggedWithRunId(String runId, String address) {
        assertThat(logged).as("log records of the turn")
                .anySatisfy(record -> {
                    assertThat(record.getMessage()).contains(runId).contains(address);
                    assertThat(record.getThrown()).isNotNull();
                });
    }
}
