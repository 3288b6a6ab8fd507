package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.bootstrap.logging.JsonLogFormatter;
import dev.agentchat.bootstrap.logging.LogContext;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.ports.tool.ToolOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code LOG_FORMAT=json} the service writes one JSON object a line, and a line written while a run
 * works carries the run's ids: on the run's own thread and on the threads of its tool calls. The real
 * service, on a loopback port, with a scripted model and tools.
 */
class JsonLogsTest {
    /** Strict: a line with anything after its object is no JSON line. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Logger ROOT = Logger.getLogger("");
    /** What the tool that tells the time logs to, on its call's own thread. */
    private static final Logger TOOL_LOG = Logger.getLogger("dev.agentchat.test.CurrentTime");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private Handler capture;

    @AfterEach
    void stopCapturing() {
        if (capture != null) {
            ROOT.removeHandler(capture);
        }
    }

    @Test
    void a_runs_lines_carry_its_run_thread_and_agent_on_its_own_thread_and_its_tool_calls() {
        // given the service with JSON logs, whose model asks for a tool, then fails mid-answer
        Settings settings = Settings.forTests(Map.of("LOG_FORMAT", "json"));
        ScriptedChatModel model = new ScriptedChatModel()
                .reply(Reply.builder().toolCall("call_1", "current_time", "{}").finish(FinishReason.TOOL_CALLS).build())
                .reply(Reply.builder().text("It is ").fail("model_stream_cut", "The model's answer was cut off.").build());
        ScriptedToolRuntime tools = new ScriptedToolRuntime()
                .tool("current_time", (arguments, progress) -> {
                    TOOL_LOG.info("Telling the time");
                    return new ToolOutcome.Succeeded("\"2026-12-05T03:00:00Z\"");
                })
                .tool("search_knowledge_base", (arguments, progress) -> new ToolOutcome.Succeeded("[]"));

        Components.Builder wiring = Components.embedded(settings).model(model).tools(tools);
        capture(new JsonLogFormatter(wiring.telemetry().logs()));
        try (Components components = wiring.build();
             Application application = Application.start(settings, components);
             ServiceClient client = new ServiceClient(application.port())) {
            // when
            String threadId;
            String runId;
            try (SseStream stream = client.chat("support-triage", body("message", "What time is it?"))) {
                threadId = stream.header("X-Thread-Id");
                runId = stream.header("X-Run-Id");
                assertThat(stream.readToEnd().last("error").get("code").asText()).isEqualTo("model_stream_cut");
            }

            // then the model's failure, logged on the run's thread, names the run, its thread and its agent
            JsonNode failure = awaitLine(line -> line.get("logger").asText().equals("dev.agentchat.ports.chat.TurnExecution")
                    && line.get("level").asText().equals("WARNING"));
            assertThat(failure.get("message").asText()).contains(runId).contains("model_stream_cut");
            assertThat(failure.path("run_id").asText()).isEqualTo(runId);
            assertThat(failure.path("thread_id").asText()).isEqualTo(threadId);
            assertThat(failure.path("agent_id").asText()).isEqualTo("support-triage");
            assertThat(failure.get("exception").get("class").asText()).isEqualTo("dev.agentchat.ports.chat.ModelFailure");

            // and so does the tool's line, written on its call's own thread
            JsonNode tool = awaitLine(line -> line.get("logger").asText().equals(TOOL_LOG.getName()));
            assertThat(tool.path("run_id").asText()).isEqualTo(runId);
            assertThat(tool.path("thread_id").asText()).isEqualTo(threadId);
            assertThat(tool.path("agent_id").asText()).isEqualTo("support-triage");
            assertThat(tool.get("thread").asText()).isNotEqualTo(failure.get("thread").asText());
        }

        // and what was logged outside the run (the warning that authentication is off, at start) names none
        JsonNode start = awaitLine(line -> line.get("logger").asText().equals(Application.class.getName()));
        assertThat(start.has("run_id") || start.has("thread_id") || start.has("agent_id")).isFalse();
    }

    @Test
    void the_service_process_writes_nothing_but_json_lines_and_a_runs_failure_names_the_run() throws IOException {
        // given the service in a process of its own, with JSON logs, and a model with no answer to give
        Path log = Path.of("target", "json-logs", "service.log");
        String runId;
        try (ServiceProcess service = ServiceProcess.start(Map.of("LOG_FORMAT", "json"), Optional.empty(), log)) {
            // when a chat fails
            try (SseStream stream = service.chat("support-triage", body("message", "Hello?"))) {
                runId = stream.header("X-Run-Id");
                assertThat(stream.readToEnd().last("error").get("code").asText()).isEqualTo("model_unavailable");
            }
            Await.until(() -> readLines(log).stream().anyMatch(line -> line.contains("\"run_id\"")), Duration.ofSeconds(10));
        }

        // then every line it wrote (but the one the test's launcher prints its port on) is a JSON object
        List<JsonNode> written = readLines(log).stream().filter(line -> !line.startsWith(CrashableService.PORT_LINE))
                .map(line -> parsed(line + "\n")).toList();
        assertThat(written).isNotEmpty();
        JsonNode failure = written.stream().filter(line -> line.path("level").asText().equals("WARNING")
                && line.path("logger").asText().equals("dev.agentchat.ports.chat.TurnExecution")).findFirst().orElseThrow();
        assertThat(failure.path("run_id").asText()).isEqualTo(runId);
        assertThat(failure.path("agent_id").asText()).isEqualTo("support-triage");
    }

    @Test
    void with_log_format_json_the_root_handlers_write_json_lines_and_text_stays_as_it_was() {
        try {
            // when
            Main.configureLogging(Settings.forTests(Map.of("LOG_FORMAT", "json")), LogContext.withoutTraces());
            List<Formatter> json = formattersOfTheRoot();
            Main.configureLogging(Settings.forTests(), LogContext.withoutTraces());
            List<Formatter> text = formattersOfTheRoot();

            // then
            assertThat(json).isNotEmpty().allSatisfy(formatter -> assertThat(formatter).isInstanceOf(JsonLogFormatter.class));
            assertThat(text).isNotEmpty().allSatisfy(formatter -> assertThat(formatter).isInstanceOf(SimpleFormatter.class));
        } finally {
            // Back to the logging the tests began with.
            try {
                LogManager.getLogManager().readConfiguration();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static List<Formatter> formattersOfTheRoot() {
        return java.util.Arrays.stream(ROOT.getHandlers()).map(Handler::getFormatter).toList();
    }

    /** Keeps every line written to the root logger, as {@code formatter} writes it on the thread that logs. */
    private void capture(Formatter formatter) {
        capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    lines.add(formatter.format(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        ROOT.addHandler(capture);
    }

    /** The first line that {@code wanted} accepts, once it was written (the run logs on its own threads). */
    private JsonNode awaitLine(Predicate<JsonNode> wanted) {
        Optional<JsonNode> line = Await.read(() -> parsed().stream().filter(wanted).findFirst(), Optional::isPresent,
                Duration.ofSeconds(10));
        assertThat(line).as("the line wanted, among " + lines).isPresent();
        return line.get();
    }

    /** Every line so far, each parsed on its own. */
    private List<JsonNode> parsed() {
        return lines.stream().map(JsonLogsTest::parsed).toList();
    }

    /** {@code line}, which must be one JSON object on one line. */
    private static JsonNode parsed(String line) {
        assertThat(line).endsWith("\n");
        assertThat(line.lines().count()).as(line).isEqualTo(1);
        try {
            JsonNode json = JSON.readTree(line);
            assertThat(json.isObject()).as(line).isTrue();
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + line, e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
