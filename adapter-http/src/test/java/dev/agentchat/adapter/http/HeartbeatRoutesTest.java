package dev.agentchat.adapter.http;

import static dev.agentchat.adapter.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.time.ManualClock;
import dev.agentchat.ports.run.RunSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats on the chat stream, on a manual clock: the test moves time, so a heartbeat comes when the
 * clock says and not when a machine under load gets round to it. The model hangs, so nothing but the
 * heartbeat is written.
 */
class HeartbeatRoutesTest {
    /** A quiet stream gets a heartbeat after half the interval of silence. */
    private static final Duration BEAT = ApiOverMemory.HEARTBEAT_INTERVAL.dividedBy(2);
    /**
     * How long a test waits for something real (a frame on a socket) after the clock moved: ample for a busy
     * machine, and shorter than the half interval, so a heartbeat timed by the system's clock could not pass.
     */
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final String CHAT = "/api/agents/helper/chat";

    private final ManualClock clock = ManualClock.atSomeDate();
    private ApiOverMemory service;
    private ApiClient client;
    private EventStream stream;

    @AfterEach
    void stop() throws IOException {
        if (stream != null) {
            stream.close();
        }
        client.close();
        service.close();
    }

    @Test
    void a_quiet_stream_gets_exactly_one_heartbeat_for_each_half_interval_the_clock_moves() throws IOException {
        start(RunSettings.defaults());
        service.model.reply(Reply.builder().hang().build());
        Instant opened = clock.now();
        stream = EventStream.open(service.port());

        List<Instant> expected = new ArrayList<>();
        for (int beat = 1; beat <= 3; beat++) {
            clock.advance(BEAT);
            expected.add(opened.plus(BEAT.multipliedBy(beat)));
            int seen = beat;
            await().atMost(PATIENCE).until(() -> heartbeats(stream).size() >= seen);
            // One heartbeat per half interval, stamped with the clock's time: a second one would show twice.
            assertThat(heartbeats(stream)).containsExactlyElementsOf(expected);
        }
        assertThat(client.post(runPath(stream) + "/cancel", "").status()).isIn(200, 202);
        await().atMost(PATIENCE).until(stream::ended);

        assertThat(heartbeats(stream)).as("no heartbeat without the clock moving").containsExactlyElementsOf(expected);
        assertThat(stream.events().getLast().get("type").asText()).isEqualTo("error");
        assertThat(stream.events().getFirst().size()).as("a heartbeat holds only type and timestamp").isEqualTo(2);
    }

    @Test
    void a_stream_with_an_answer_coming_gets_no_heartbeat_until_the_clock_moves() throws IOException {
        start(RunSettings.defaults());
        service.model.reply(Reply.builder().text("Thinking").hang().build());
        stream = EventStream.open(service.port());
        await().atMost(PATIENCE).until(() -> stream.events().size() >= 1);

        clock.advance(BEAT.minusMillis(1));
        assertThat(client.post(runPath(stream) + "/cancel", "").status()).isIn(200, 202);
        await().atMost(PATIENCE).until(stream::ended);

        assertThat(stream.events()).extracting(event -> event.get("type").asText()).containsExactly("token", "error");
    }

    @Test
    void a_client_gone_is_noticed_at_the_next_heartbeat_and_under_the_cancel_policy_its_run_is_stopped() throws IOException {
        start(RunSettings.defaults().withDisconnectPolicy(RunSettings.DisconnectPolicy.CANCEL).withDisconnectGrace(Duration.ZERO));
        service.model.reply(Reply.builder().text("Half an ").text("answer").hang().build());
        stream = EventStream.open(service.port());
        await().atMost(PATIENCE).until(() -> stream.events().size() >= 2);
        String run = runPath(stream);

        // Reset, not a polite close: the next write to the client fails, so the next heartbeat finds it gone.
        stream.reset();
        assertThat(client.get(run).json().get("status").asText()).as("nothing is written, so nothing notices").isEqualTo("in_progress");
        clock.advance(BEAT);

        JsonNode ended = await().atMost(PATIENCE).until(() -> client.get(run).json(), HeartbeatRoutesTest::hasEnded);
        assertThat(ended.get("status").asText()).isEqualTo("cancelled");
        assertThat(ended.get("error").get("code").asText()).isEqualTo("client_disconnected");
        assertThat(service.model.closedStreams()).isEqualTo(1);
    }

    private void start(RunSettings runSettings) {
        service = new ApiOverMemory(clock, runSettings);
        client = new ApiClient(service.port());
        client.createAgent("helper");
    }

    private static boolean hasEnded(JsonNode run) {
        return List.of("completed", "failed", "cancelled", "incomplete").contains(run.get("status").asText());
    }

    private static List<Instant> heartbeats(EventStream stream) {
        return stream.events().stream().filter(event -> event.get("type").asText().equals("heartbeat"))
                .map(event -> Instant.parse(event.get("timestamp").asText())).toList();
    }

    private static String runPath(EventStream stream) {
        return "/api/agents/helper/threads/" + stream.header("X-Thread-Id") + "/runs/" + stream.header("X-Run-Id");
    }

    /**
     * A chat stream read over a plain socket, so that the test can drop the connection the way a client that
     * vanished does. Its frames are read on a thread of their own and each checked against the API document.
     */
    private static final class EventStream implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader lines;
        private final List<String> headers = new ArrayList<>();
        private final List<JsonNode> events = new CopyOnWriteArrayList<>();
        private final Thread reader;
        private volatile boolean ended;

        private EventStream(Socket socket) throws IOException {
            this.socket = socket;
            this.lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null && !line.isEmpty(); line = lines.readLine()) {
                headers.add(line);
            }
            assertThat(headers.getFirst()).startsWith("HTTP/1.1 200");
            this.reader = Thread.ofVirtual().name("test-event-reader").start(this::read);
        }

        static EventStream open(int port) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            byte[] body = json("message", "Hi").getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Accept: text/event-stream\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return new EventStream(socket);
        }

        String header(String name) {
            Predicate<String> named = line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1);
            return headers.stream().filter(named).findFirst().map(line -> line.substring(name.length() + 1).strip())
                    .orElseThrow(() -> new AssertionError("no header " + name + " in " + headers));
        }

        List<JsonNode> events() {
            return List.copyOf(events);
        }

        boolean ended() {
            return ended;
        }

        /** Drops the connection with a reset, as a client whose process died or whose network went away. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        private void read() {
            try {
                // The body is chunked: a frame's "data:" line stands whole within its chunk, the size lines are skipped.
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("data:")) {
                        String data = line.substring(5).strip();
                        ApiDocument.get().checkEvent("POST", CHAT, data);
                        events.add(ApiClient.parse(data));
                    } else if (line.equals("0")) {
                        break;   // the last chunk
                    }
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    throw new UncheckedIOException(e);
                }
            } finally {
                ended = true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                reader.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
