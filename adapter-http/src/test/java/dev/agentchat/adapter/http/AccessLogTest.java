package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.http.observe.AccessLog;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Work;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The access log: a line per request at INFO on {@code dev.agentchat.access}, with the route's template and never
 * the path's ids or query; on unless the settings turn it off.
 */
class AccessLogTest {
    private static final String LINE = "method=[A-Z]+ (route|path)=\\S+ status=\\d{3} duration_ms=\\d+( bytes=\\d+)?";

    private final Logger logger = Logger.getLogger(AccessLog.LOGGER);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final RecordingTelemetry telemetry = new RecordingTelemetry();
    /** What was current where each line was written: what a log line's trace ids are read from. */
    private final List<Observation> currentAtLine = new CopyOnWriteArrayList<>();
    private final List<Boolean> endedAtLine = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
            Observation current = telemetry.current();
            currentAtLine.add(current);
            endedAtLine.add(current instanceof RecordingTelemetry.Watched watched && watched.outcome().isPresent());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ApiOverMemory service;
    private ApiClient client;

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
        if (client != null) {
            client.close();
            service.close();
        }
    }

    @Test
    void a_request_gets_one_line_with_its_route_template_and_never_its_query_or_ids() {
        start(UnaryOperator.identity());

        client.get("/api/agents/helper/threads/thread-secret-id?limit=5&access_token=s3cr3t");

        List<String> lines = awaitLines(1);
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line).matches(LINE)
                    .startsWith("method=GET route=/api/agents/{agentId}/threads/{threadId} status=404 duration_ms=")
                    .doesNotContain("s3cr3t").doesNotContain("limit").doesNotContain("thread-secret-id");
        });
        assertThat(records.getFirst().getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void a_request_no_route_takes_is_logged_by_its_path_without_the_query() {
        start(UnaryOperator.identity());

        client.get("/no/such/path?code=s3cr3t");

        assertThat(awaitLines(1)).singleElement().satisfies(line -> assertThat(line).matches(LINE)
                .startsWith("method=GET path=/no/such/path status=404 ").doesNotContain("s3cr3t"));
    }

    @Test
    void an_answer_sent_whole_has_its_bytes_counted_and_an_event_stream_has_none() {
        start(UnaryOperator.identity());
        client.createAgent("helper");
        service.model.reply(dev.agentchat.adapter.memory.model.Reply.text("Hello."));
        client.chat("helper", ApiClient.json("message", "Hi"));

        List<String> lines = awaitLines(2);
        assertThat(lines.get(0)).matches(LINE).startsWith("method=POST route=/api/agents status=201 ").contains(" bytes=");
        String bytes = lines.get(0).substring(lines.get(0).indexOf(" bytes=") + 7);
        assertThat(Long.parseLong(bytes)).isGreaterThan(100);
        assertThat(lines.get(1)).matches(LINE).startsWith("method=POST route=/api/agents/{agentId}/chat status=200 ")
                .doesNotContain("bytes=");
    }

    @Test
    void the_line_is_written_within_the_request_so_that_it_carries_the_requests_trace_ids() {
        service = ApiOverMemory.watchedBy(Observability.none().withTelemetry(telemetry), UnaryOperator.identity());
        client = new ApiClient(service.port());

        client.get("/health");

        awaitLines(1);
        RecordingTelemetry.Watched request = telemetry.begun(Work.HttpRequest.class, work -> true).getFirst();
        assertThat(currentAtLine).containsExactly(request);
        assertThat(endedAtLine).as("the request ends after its line").containsExactly(false);
    }

    @Test
    void turned_off_it_writes_nothing() {
        start(settings -> settings.withAccessLog(false));

        client.get("/health");
        client.get("/health");

        // The second answer was read after the first request's line would have been written: nothing is on its way.
        assertThat(client.get("/health").status()).isEqualTo(200);
        assertThat(records).isEmpty();
    }

    private void start(UnaryOperator<HttpSettings> settings) {
        service = ApiOverMemory.watchedBy(Observability.none(), settings);
        client = new ApiClient(service.port());
    }

    private List<String> awaitLines(int count) {
        return await().until(() -> records.stream().map(LogRecord::getMessage).toList(), lines -> lines.size() >= count);
    }
}
