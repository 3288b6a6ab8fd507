package dev.agentchat.adapter.http;

import static dev.agentchat.adapter.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import dev.agentchat.domain.chat.FinishReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A streamed answer has a known end (HTTP/1.1 chunks), so the client's connection outlives it: the next turn
 * goes over the same socket, and the status and headers come before the model's first token. A client that
 * asks for its connection to be closed has it closed once the answer is out.
 */
class KeptConnectionTest {
    @RegisterExtension
    final RunningApi api = new RunningApi();

    @BeforeEach
    void start() {
        api.client().createAgent("helper");
    }

    @Test
    void turn_after_turn_goes_over_one_connection() throws IOException {
        api.service().model.reply(Reply.text("One ", "answer."));
        api.service().model.reply(Reply.text("Another."));
        try (Socket socket = new Socket("127.0.0.1", api.service().port())) {
            socket.setSoTimeout(30_000);
            Response first = Response.exchange(socket, "Hi");
            Response second = Response.exchange(socket, "Again");

            assertThat(first.head()).contains("transfer-encoding: chunked").doesNotContain("connection: close");
            assertThat(first.body()).contains("\"content\":\"One \"").endsWith("\"type\":\"done\"" + first.doneTail());
            assertThat(second.head()).startsWith("http/1.1 200");
            assertThat(second.body()).contains("\"content\":\"Another.\"").contains("\"type\":\"done\"");
            // Nothing follows the last chunk: the connection waits for the client's next request.
            socket.setSoTimeout(300);
            assertThat(readsNothing(socket.getInputStream())).isTrue();
        }
    }

    @Test
    void a_client_that_asks_for_the_connection_to_close_has_it_closed_after_the_answer() throws IOException {
        api.service().model.reply(Reply.text("Bye."));
        try (Socket socket = new Socket("127.0.0.1", api.service().port())) {
            socket.setSoTimeout(30_000);
            send(socket, "Hi", "Connection: close\r\n");
            InputStream in = socket.getInputStream();
            assertThat(readHead(in)).contains("connection: close");
            assertThat(readChunks(in)).contains("\"type\":\"done\"");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void any_answer_to_a_client_that_asks_to_close_ends_its_connection() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.service().port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("http/1.1 200").contains("connection: close");
            int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
            assertThat(in.readNBytes(length)).hasSize(length);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void a_stream_whose_work_fails_after_it_opened_is_cut_not_ended_so_the_client_sees_it_broken() throws IOException {
        try (ApiOverMemory failing = ApiOverMemory.withChat(real -> (command, sink) -> {
            sink.open(RunId.of("run_cut"), ThreadId.of("thread_cut"));
            sink.emit(new RunEvent(1, new ChatEvent.Token("Half", Instant.now())));
            throw new IllegalStateException("the store went away");
        }); Socket socket = new Socket("127.0.0.1", failing.port())) {
            socket.setSoTimeout(30_000);
            send(socket, "Hi");
            InputStream in = socket.getInputStream();
            assertThat(readHead(in)).startsWith("http/1.1 200");
            int size = Integer.parseInt(line(in), 16);
            assertThat(new String(in.readNBytes(size), StandardCharsets.UTF_8)).contains("\"content\":\"Half\"");
            assertThat(line(in)).isEmpty();
            // No last chunk ("0"): the connection ends with the body unfinished.
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void the_headers_arrive_before_the_first_token() throws IOException {
        CompletableFuture<Void> release = new CompletableFuture<>();
        api.service().model.reply(Reply.builder().await(release).text("Late.").finish(FinishReason.STOP).build());
        try (Socket socket = new Socket("127.0.0.1", api.service().port())) {
            socket.setSoTimeout(30_000);
            send(socket, "Hi");
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("http/1.1 200").contains("content-type: text/event-stream").contains("x-run-id: ");
            release.complete(null);
            assertThat(readChunks(socket.getInputStream())).contains("\"content\":\"Late.\"").contains("\"type\":\"done\"");
        }
    }

    private static boolean readsNothing(InputStream in) throws IOException {
        try {
            in.read();   // a byte, or the end of the stream, would both be wrong
            return false;
        } catch (SocketTimeoutException expected) {
            return true;
        }
    }

    private record Response(String head, String body) {
        static Response exchange(Socket socket, String message) throws IOException {
            send(socket, message);
            InputStream in = socket.getInputStream();
            return new Response(readHead(in), readChunks(in));
        }

        /** What follows the done event's type in its frame: its other members. */
        String doneTail() {
            return body.substring(body.lastIndexOf("\"type\":\"done\"") + "\"type\":\"done\"".length());
        }
    }

    private static void send(Socket socket, String message) throws IOException {
        send(socket, message, "");
    }

    private static void send(Socket socket, String message, String headers) throws IOException {
        byte[] body = json("message", message).getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/agents/helper/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\n" + headers + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** The status line and headers, lower-cased, one per line. */
    private static String readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            lines.add(line.toLowerCase(Locale.ROOT));
        }
        return String.join("\n", lines);
    }

    /** A chunked body, decoded, up to and with its last chunk and the empty line after it. */
    private static String readChunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
            body.write(in.readNBytes(size));
            assertThat(line(in)).isEmpty();
        }
        assertThat(line(in)).isEmpty();
        return body.toString(StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection ended mid-line");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
