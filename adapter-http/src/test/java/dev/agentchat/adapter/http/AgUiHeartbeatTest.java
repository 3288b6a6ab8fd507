package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.time.ManualClock;
import dev.agentchat.ports.run.RunSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A quiet AG-UI stream: kept open by SSE comments, never by a data frame an AG-UI client would have to read as an event. */
class AgUiHeartbeatTest {
    private static final Duration BEAT = ApiOverMemory.HEARTBEAT_INTERVAL.dividedBy(2);
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    private final ManualClock clock = ManualClock.atSomeDate();
    private final ApiOverMemory service = new ApiOverMemory(clock, RunSettings.defaults());
    private final ApiClient client = new ApiClient(service.port());
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private volatile boolean ended;

    private volatile InputStream body;

    @AfterEach
    void stop() throws IOException {
        if (body != null) {
            body.close();
        }
        http.shutdownNow();
        client.close();
        service.close();
    }

    @Test
    void a_quiet_stream_gets_one_ping_comment_for_each_half_interval_the_clock_moves() throws Exception {
        client.createAgent("helper");
        service.model.reply(Reply.builder().hang().build());
        HttpResponse<InputStream> response = http.send(client.request("/api/agents/helper/ag-ui")
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"threadId\":\"th-1\",\"runId\":\"run-1\","
                        + "\"messages\":[{\"id\":\"u1\",\"role\":\"user\",\"content\":\"Hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        body = response.body();
        Thread reader = Thread.ofVirtual().start(() -> read(body));
        await().atMost(PATIENCE).until(() -> dataLines().size() == 1);

        for (int beat = 1; beat <= 2; beat++) {
            clock.advance(BEAT);
            int seen = beat;
            await().atMost(PATIENCE).until(() -> pings() >= seen);
            assertThat(pings()).isEqualTo(seen);
        }
        String run = "/api/agents/helper/threads/" + response.headers().firstValue("X-Thread-Id").orElseThrow() + "/runs/"
                + response.headers().firstValue("X-Run-Id").orElseThrow();
        assertThat(client.post(run + "/cancel", "").status()).isIn(200, 202);
        await().atMost(PATIENCE).until(() -> ended);
        reader.join(PATIENCE);

        assertThat(pings()).isEqualTo(2);
        assertThat(dataLines()).hasSize(2);
        assertThat(dataLines().getFirst()).contains("\"RUN_STARTED\"");
        assertThat(dataLines().getLast()).contains("\"RUN_ERROR\"").contains("\"code\":\"cancelled\"");
    }

    private void read(InputStream body) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("data:")) {
                    ApiDocument.get().checkEvent("POST", "/api/agents/helper/ag-ui", line.substring(5).strip());
                }
                lines.add(line);
            }
        } catch (IOException e) {
            // the stream ended
        } finally {
            ended = true;
        }
    }

    private long pings() {
        return lines.stream().filter(line -> line.equals(": ping")).count();
    }

    private List<String> dataLines() {
        return lines.stream().filter(line -> line.startsWith("data:")).toList();
    }
}
