package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ThreadId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clients that misbehave at the socket level: one that stops reading, one that does not speak HTTP properly. */
class RawClientTest {
    private ServiceUnderTest service;

    @BeforeEach
    void start() {
        service = new ServiceUnderTest();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    /**
     * A model that writes far more than the socket buffers hold. A control character is six bytes
     * in JSON, so 60 pieces make about 6 MB on the wire while the answer stays under the longest a
     * message may be.
     */
    private static Reply.Builder hugeAnswer() {
        String piece = "\u0001".repeat(16 * 1024);
        Reply.Builder reply = Reply.builder();
        for (int i = 0; i < 60; i++) {
            reply.text(piece);
        }
        return reply;
    }

    @Test
    void a_client_that_stops_reading_does_not_hold_the_run_back() throws Exception {
        // given a huge answer, which the run finishes whatever its client does
        service.model.reply(hugeAnswer().finish(dev.agentchat.domain.chat.FinishReason.STOP).build());

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", service.port()));
            // when the client sends its message and never reads a byte of the answer
            send(socket, "POST", "/api/agents/support-triage/chat", body("message", "Tell me everything"));

            // then the run completes and stores its whole answer, while the socket is still open
            Run run = awaitOnlyRunEnded(20_000);
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(service.components.messages().listByThread(run.threadId()).getLast().content()).hasSize(60 * 16 * 1024);
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void under_the_cancel_policy_a_client_that_stops_reading_does_not_keep_the_run_or_the_model_going() throws Exception {
        // given a huge answer, after which the model waits
        service.close();
        service = new ServiceUnderTest(java.util.Map.of("DISCONNECT_POLICY", "cancel", "DISCONNECT_GRACE_SECONDS", "0"),
                components -> components);
        service.model.reply(hugeAnswer().hang().build());

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", service.port()));
            // when the client sends its message and never reads a byte of the answer
            send(socket, "POST", "/api/agents/support-triage/chat", body("message", "Tell me everything"));

            // then the run ends, and the model is released, while the socket is still open
            Run run = awaitOnlyRunEnded(20_000);
            assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(run.failure().code()).isEqualTo("client_disconnected");
            assertThat(service.model.closedStreams()).isEqualTo(1);
            assertThat(socket.isClosed()).isFalse();
        }
    }

    @Test
    void a_request_helidon_cannot_parse_still_gets_a_problem() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", service.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nthis is not a header\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String response = readAll(socket.getInputStream());

            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
            assertThat(response).contains("\"code\":\"invalid_request\"");
        }
    }

    private static void send(Socket socket, String method, String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\nContent-Length: " + body.length + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private Run awaitOnlyRunEnded(long millis) {
        return Await.read(this::onlyRunEnded, java.util.Optional::isPresent, java.time.Duration.ofMillis(millis))
                .orElseThrow(() -> new AssertionError("the run did not end within " + millis + " ms"));
    }

    /** The one run of the one thread, once it has ended. */
    private java.util.Optional<Run> onlyRunEnded() {
        var threads = service.components.threads().list(
                new dev.agentchat.domain.thread.ThreadScope(dev.agentchat.domain.agent.AgentId.of("support-triage"),
                        dev.agentchat.domain.thread.UserId.ANONYMOUS),
                java.util.EnumSet.allOf(dev.agentchat.domain.thread.ThreadStatus.class),
                dev.agentchat.ports.store.PageRequest.first(10)).threads();
        if (threads.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<Run> runs = service.components.runs().listByThread(ThreadId.of(threads.getFirst().id().value()));
        return runs.size() == 1 && runs.getFirst().status().isTerminal() ? java.util.Optional.of(runs.getFirst())
                : java.util.Optional.empty();
    }
}
