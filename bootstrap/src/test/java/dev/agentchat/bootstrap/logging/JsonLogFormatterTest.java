package dev.agentchat.bootstrap.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
    /** Strict: a line with anything after its object is no JSON line. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonLogFormatter formatter = new JsonLogFormatter(LogContext.withoutTraces());

    @Test
    void a_record_is_one_line_of_json_with_its_time_level_logger_message_and_thread() {
        // given a record whose message has parameters, as JUL formats them
        LogRecord record = record(Level.WARNING, "Ended {0} runs of {1}", 3, "support-triage");
        record.setInstant(Instant.parse("2026-12-05T03:04:05.678912Z"));

        // when
        String line = formatter.format(record);

        // then
        JsonNode json = onlyLineOf(line);
        assertThat(fieldNames(json)).containsExactly("timestamp", "level", "logger", "message", "thread");
        assertThat(json.get("timestamp").asText()).isEqualTo("2026-12-05T03:04:05.678Z");
        assertThat(json.get("level").asText()).isEqualTo("WARNING");
        assertThat(json.get("logger").asText()).isEqualTo("dev.agentchat.ports.chat.TurnExecution");
        assertThat(json.get("message").asText()).isEqualTo("Ended 3 runs of support-triage");
        assertThat(json.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void a_whole_second_still_has_its_milliseconds_written() {
        LogRecord record = record(Level.INFO, "on the second");
        record.setInstant(Instant.parse("2026-12-05T03:04:05Z"));

        assertThat(onlyLineOf(formatter.format(record)).get("timestamp").asText()).isEqualTo("2026-12-05T03:04:05.000Z");
    }

    @Test
    void quotes_backslashes_line_breaks_and_control_characters_stay_within_the_line() {
        // given
        String hostile = "say \"hi\"\\ then\nbreak\r\n\ttab \u0001 and \u2028 and é";
        LogRecord record = record(Level.INFO, hostile);

        // when
        String line = formatter.format(record);

        // then
        assertThat(onlyLineOf(line).get("message").asText()).isEqualTo(hostile);
    }

    @Test
    void an_exception_is_written_with_its_class_message_and_whole_stack_trace_in_one_field() {
        // given
        IllegalStateException cause = new IllegalStateException("the \"store\" went away");
        LogRecord record = record(Level.SEVERE, "Run failed");
        record.setThrown(new RuntimeException("wrapped\nover two lines", cause));

        // when
        JsonNode json = onlyLineOf(formatter.format(record));

        // then
        JsonNode exception = json.get("exception");
        assertThat(exception.get("class").asText()).isEqualTo("java.lang.RuntimeException");
        assertThat(exception.get("message").asText()).isEqualTo("wrapped\nover two lines");
        assertThat(exception.get("stack_trace").asText())
                .startsWith("java.lang.RuntimeException: wrapped")
                .contains("\tat dev.agentchat.bootstrap.logging.JsonLogFormatterTest.")
                .contains("Caused by: java.lang.IllegalStateException: the \"store\" went away");
    }

    @Test
    void an_exception_without_a_message_has_none_written() {
        LogRecord record = record(Level.SEVERE, "Run failed");
        record.setThrown(new NullPointerException());

        JsonNode exception = onlyLineOf(formatter.format(record)).get("exception");

        assertThat(exception.get("class").asText()).isEqualTo("java.lang.NullPointerException");
        assertThat(exception.has("message")).isFalse();
    }

    @Test
    void the_trace_and_span_the_tracing_says_are_current_are_written() {
        // given
        JsonLogFormatter traced = new JsonLogFormatter(new LogContext(
                () -> Optional.of(new TraceIds("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"))));

        // when
        JsonNode json = onlyLineOf(traced.format(record(Level.INFO, "traced")));

        // then
        assertThat(json.path("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(json.path("span_id").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(json.has("run_id")).isFalse();
    }

    @Test
    void a_tracing_that_fails_costs_the_line_its_trace_ids_only() {
        JsonLogFormatter traced = new JsonLogFormatter(new LogContext(() -> {
            throw new IllegalStateException("no tracer yet");
        }));

        JsonNode json = onlyLineOf(traced.format(record(Level.INFO, "still written")));

        assertThat(json.get("message").asText()).isEqualTo("still written");
        assertThat(json.has("trace_id")).isFalse();
    }

    static LogRecord record(Level level, String message, Object... parameters) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("dev.agentchat.ports.chat.TurnExecution");
        record.setParameters(parameters.length == 0 ? null : parameters);
        return record;
    }

    /** The JSON object of {@code text}, which must be exactly one line ending with a line break. */
    static JsonNode onlyLineOf(String text) {
        assertThat(text).endsWith("\n");
        List<String> lines = text.lines().toList();
        assertThat(lines).as("the lines of " + text).hasSize(1);
        try {
            JsonNode json = JSON.readTree(lines.getFirst());
            assertThat(json.isObject()).isTrue();
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
