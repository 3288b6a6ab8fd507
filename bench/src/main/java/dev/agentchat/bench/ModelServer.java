package dev.agentchat.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fast local model server speaking the OpenAI chat completions wire format (streamed chunks, a
 * finish chunk, a usage chunk, {@code [DONE]}). Each token's text is the {@link System#nanoTime} at
 * which it was written, so that a client on this machine can tell how long the token took to reach
 * it: the monotonic clock is shared by every process of one machine.
 */
final class ModelServer implements AutoCloseable {
    /** How answers are made: how many tokens, and the pause before each. */
    record Script(int tokens, long gapMillis) {
    }

    private final HttpServer server;
    private volatile Script script = new Script(20, 0);
    private final AtomicLong streams = new AtomicLong();

    private ModelServer(HttpServer server) {
        this.server = server;
    }

    static ModelServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4_096);
        ModelServer model = new ModelServer(server);
        server.createContext("/v1/chat/completions", model::answer);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return model;
    }

    void script(Script next) {
        this.script = next;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    int port() {
        return server.getAddress().getPort();
    }

    long streamsServed() {
        return streams.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        Script current = script;
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        streams.incrementAndGet();
        try (OutputStream out = exchange.getResponseBody()) {
            send(out, chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (int i = 0; i < current.tokens(); i++) {
                if (current.gapMillis() > 0) {
                    Thread.sleep(current.gapMillis());
                }
                send(out, chunk("{\"content\":\"" + System.nanoTime() + " \"}", null));
            }
            send(out, chunk("{}", "stop"));
            send(out, "{\"id\":\"bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\",\"choices\":[],"
                    + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":" + current.tokens() + ",\"total_tokens\":"
                    + (20 + current.tokens()) + "}}");
            send(out, "[DONE]");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client (the service, or a direct reader) hung up: nothing to answer
        }
    }

    private static String chunk(String delta, String finish) {
        return "{\"id\":\"bench\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\",\"choices\":[{\"index\":0,"
                + "\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
