package dev.agentchat.bootstrap.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * Writes each log record as one JSON object on one line, for a log shipper: {@code timestamp} (UTC, to
 * the millisecond), {@code level}, {@code logger}, {@code message} (its parameters put in as the text
 * format puts them), {@code thread}, the ids of the trace and the run in scope ({@code trace_id},
 * {@code span_id}, {@code run_id}, {@code thread_id}, {@code agent_id}) when there are some, and the
 * {@code exception} when there is one. The ids are those of the thread that logs: a handler that
 * formats on another thread (an asynchronous one) would lose them.
 */
public final class JsonLogFormatter extends Formatter {
    /** Always three digits of the second: a shipper that parses one layout parses every line. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final LogContext context;

    public JsonLogFormatter(LogContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public String format(LogRecord record) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("timestamp", TIMESTAMP.format(record.getInstant()));
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("logger", record.getLoggerName() == null ? "" : record.getLoggerName());
            json.writeStringField("message", Objects.requireNonNullElse(formatMessage(record), ""));
            json.writeStringField("thread", threadOf(record));
            Optional<TraceIds> trace = context.traceHere();
            if (trace.isPresent()) {
                json.writeStringField("trace_id", trace.get().traceId());
                json.writeStringField("span_id", trace.get().spanId());
            }
            Optional<RunIds> run = context.runHere();
            if (run.isPresent()) {
                json.writeStringField("run_id", run.get().run().value());
                json.writeStringField("thread_id", run.get().thread().value());
                json.writeStringField("agent_id", run.get().agent().value());
            }
            if (record.getThrown() != null) {
                writeException(json, record.getThrown());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return line.append('\n').toString();
    }

    private static void writeException(JsonGenerator json, Throwable thrown) throws IOException {
        StringWriter trace = new StringWriter(1024);
        try (PrintWriter printer = new PrintWriter(trace)) {
            thrown.printStackTrace(printer);
        }
        json.writeObjectFieldStart("exception");
        json.writeStringField("class", thrown.getClass().getName());
        if (thrown.getMessage() != null) {
            json.writeStringField("message", thrown.getMessage());
        }
        json.writeStringField("stack_trace", trace.toString());
        json.writeEndObject();
    }

    /**
     * The logging thread's name; a virtual thread has none unless given one, so then its id, as the JDK
     * writes it ({@code #42}). A record passed on from another thread has only that thread's id.
     */
    private static String threadOf(LogRecord record) {
        Thread thread = Thread.currentThread();
        if (thread.threadId() != record.getLongThreadID()) {
            return "#" + record.getLongThreadID();
        }
        return thread.getName().isEmpty() ? "#" + thread.threadId() : thread.getName();
    }
}
