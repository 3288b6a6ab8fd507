package dev.agentchat.adapter.http;

import static dev.agentchat.adapter.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.memory.model.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/1.0 requests, as load balancers' health checks and proxies send them, are served: with a body of
 * known length, no chunks, and the connection closed after the answer unless the client asked to keep it.
 * An event stream, which only HTTP/1.1 can frame here, is refused with a 426 before anything starts.
 */
class Http10RequestsTest {
    @RegisterExtension
    final RunningApi api = new RunningApi();

    @BeforeEach
    void start() {
        api.client().createAgent("helper");
    }

    @Test
    void health_asked_in_http10_without_a_host_is_answered_with_a_length_and_the_connection_closed() throws IOException {
        for (String path : List.of("/health", "/health/live", "/health/ready", "/metrics", "/openapi", "/api/agents",
                "/api/agents/helper", "/api/agents/helper/threads")) {
            try (Socket socket = connect()) {
                write(socket, "GET " + path + " HTTP/1.0\r\n\r\n");
                InputStream in = socket.getInputStream();
                Answer answer = Answer.read(in);

                assertThat(answer.head()).as(path).startsWith("http/1.1 200 ").contains("connection: close")
                        .doesNotContain("transfer-encoding");
                assertThat(answer.body()).as(path).isNotEmpty();
                assertThat(in.read()).as(path).isEqualTo(-1);
            }
        }
    }

    @Test
    void head_in_http10_gets_the_length_without_the_body() throws IOException {
        try (Socket socket = connect()) {
            write(socket, "HEAD /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            InputStream in = socket.getInputStream();
            String head = readHead(in);

            assertThat(head).startsWith("http/1.1 200 ").contains("connection: close").doesNotContain("transfer-encoding");
            assertThat(contentLength(head)).isPositive();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void an_http10_client_that_asks_to_keep_its_connection_has_it_kept_while_it_asks() throws IOException {
        try (Socket socket = connect()) {
            write(socket, "GET /health/live HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
            InputStream in = socket.getInputStream();
            Answer first = Answer.read(in);
            write(socket, "GET /api/agents/helper HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Answer second = Answer.read(in);
            write(socket, "GET /health HTTP/1.0\r\n\r\n");
            Answer third = Answer.read(in);

            assertThat(first.head()).startsWith("http/1.1 200 ").contains("connection: keep-alive")
                    .doesNotContain("transfer-encoding");
            assertThat(second.head()).startsWith("http/1.1 200 ").contains("connection: keep-alive");
            assertThat(second.body()).contains("\"id\":\"helper\"");
            assertThat(third.head()).startsWith("http/1.1 200 ").contains("connection: close");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void an_http10_client_is_sent_no_100_continue_it_would_not_know() throws IOException {
        api.service().model.reply(Reply.text("Whole."));
        byte[] body = "{\"message\":\"Hi\",\"stream\":false}".getBytes(StandardCharsets.UTF_8);
        try (Socket socket = connect()) {
            write(socket, "POST /api/agents/helper/chat HTTP/1.0\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n");
            socket.getOutputStream().write(body);
            InputStream in = socket.getInputStream();
            Answer answer = Answer.read(in);

            assertThat(answer.head()).startsWith("http/1.1 200 ");
            assertThat(answer.body()).contains("Whole.");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void a_streamed_chat_in_http10_is_refused_with_426_and_no_turn_starts() throws IOException {
        api.service().model.reply(Reply.text("Never sent."));
        byte[] body = json("message", "Hi").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = connect()) {
            write(socket, "POST /api/agents/helper/chat HTTP/1.0\r\nContent-Type: application/json\r\n"
                    + "Accept: text/event-stream\r\nConnection: keep-alive\r\nContent-Length: " + body.length + "\r\n\r\n");
            socket.getOutputStream().write(body);
            InputStream in = socket.getInputStream();
            Answer answer = Answer.read(in);

            assertThat(answer.head()).startsWith("http/1.1 426 ").contains("upgrade: http/1.1")
                    .contains("content-type: application/problem+json").doesNotContain("transfer-encoding");
            assertThat(answer.body()).contains("\"code\":\"http_1_1_required\"").contains("HTTP/1.1");
            // The answer says the connection closes, and it does, though the client asked to keep it.
            assertThat(answer.head()).containsPattern("connection: .*close");
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(api.client().get("/api/agents/helper/threads").json().get("total").asInt()).isZero();
    }

    @Test
    void a_chat_in_http10_that_asks_for_one_json_document_is_answered() throws IOException {
        api.service().model.reply(Reply.text("Whole."));
        byte[] body = "{\"message\":\"Hi\",\"stream\":false}".getBytes(StandardCharsets.UTF_8);
        try (Socket socket = connect()) {
            write(socket, "POST /api/agents/helper/chat HTTP/1.0\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n");
            socket.getOutputStream().write(body);
            InputStream in = socket.getInputStream();
            Answer answer = Answer.read(in);

            assertThat(answer.head()).startsWith("http/1.1 200 ").contains("connection: close");
            assertThat(answer.body()).contains("Whole.");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void a_run_s_events_in_http10_are_refused_with_426() throws IOException {
        for (String path : List.of("/events", "/events/ag-ui")) {
            try (Socket socket = connect()) {
                write(socket, "GET /api/agents/helper/threads/thread_x/runs/run_x" + path + " HTTP/1.0\r\n"
                        + "Accept: text/event-stream\r\n\r\n");
                InputStream in = socket.getInputStream();
                Answer answer = Answer.read(in);

                assertThat(answer.head()).as(path).startsWith("http/1.1 426 ").contains("upgrade: http/1.1");
                assertThat(answer.body()).as(path).contains("\"code\":\"http_1_1_required\"");
                assertThat(in.read()).as(path).isEqualTo(-1);
            }
        }
    }

    @Test
    void an_http10_request_framed_by_transfer_encoding_is_refused_and_its_connection_closed() throws IOException {
        try (Socket socket = connect()) {
            write(socket, "POST /api/agents/helper/chat HTTP/1.0\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
            InputStream in = socket.getInputStream();
            String head = readHead(in);

            assertThat(head).startsWith("http/1.1 400 ").contains("connection: close");
            in.readNBytes(contentLength(head));
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void an_http11_request_without_a_host_is_still_refused() throws IOException {
        for (String hosts : List.of("", "Host: a.example\r\nHost: b.example\r\n", "Host: a.example:port\r\n")) {
            try (Socket socket = connect()) {
                write(socket, "GET /health HTTP/1.1\r\n" + hosts + "\r\n");
                assertThat(readHead(socket.getInputStream())).as(hosts).startsWith("http/1.1 400 ");
            }
        }
    }

    @Test
    void an_http11_request_with_one_host_is_served_whatever_form_the_host_takes() throws IOException {
        for (String host : List.of("localhost", "127.0.0.1:8080", "[::1]", "[::1]:8080", "api.example.com:443")) {
            try (Socket socket = connect()) {
                write(socket, "GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
                assertThat(readHead(socket.getInputStream())).as(host).startsWith("http/1.1 200 ");
            }
        }
    }

    @Test
    void an_http11_request_on_a_connection_after_an_http10_one_is_served_as_http11() throws IOException {
        try (Socket socket = connect()) {
            write(socket, "GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            InputStream in = socket.getInputStream();
            Answer.read(in);
            write(socket, "GET /api/agents/helper/threads/thread_x/runs/run_x/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n");
            // Not the 426 of a 1.0 request: this one reaches the run, which does not exist.
            assertThat(Answer.read(in).head()).startsWith("http/1.1 404 ");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", api.service().port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** An answer framed by its length, as an HTTP/1.0 client reads it. */
    private record Answer(String head, String body) {
        static Answer read(InputStream in) throws IOException {
            String head = readHead(in);
            int length = contentLength(head);
            byte[] body = in.readNBytes(length);
            assertThat(body).hasSize(length);
            return new Answer(head, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static int contentLength(String head) {
        assertThat(head).containsPattern("(?m)^content-length: \\d+$");
        return Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
    }

    /** The status line and headers, lower-cased, one per line. */
    private static String readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            lines.add(line.toLowerCase(Locale.ROOT));
        }
        return String.join("\n", lines);
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
