package dev.agentchat.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JDK HTTP client for {@link ApiOverMemory} whose every answer, and every event of a stream, is
 * checked against the OpenAPI document before the test sees it.
 */
final class ApiClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    /** An answer: its status, body, and the body as JSON when it is JSON. */
    record Answer(int status, HttpResponse<String> response, String body) {
        JsonNode json() {
            return parse(body);
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    ApiClient(int port) {
        this.port = port;
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    Answer post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** An administrator's request with a JSON body. */
    Answer asAdmin(String method, String path, String json) {
        return send(request(path).header("Authorization", "Bearer " + ApiOverMemory.ADMIN_KEY)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    }

    Answer send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            ApiDocument.get().checkAnswer(request.method(), request.uri().getRawPath(), response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null), response.body());
            return new Answer(response.statusCode(), response, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends the request, reads its event stream to the end, and returns each event's data, heartbeats included. */
    List<JsonNode> stream(HttpRequest.Builder builder) {
        HttpRequest request = builder.header("Accept", "text/event-stream").build();
        List<JsonNode> events = new ArrayList<>();
        try (InputStream body = sendForStream(request).body()) {
            readEvents(request, body, events::add);
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the request and reads its event stream on a thread of its own, so that the test can act while the
     * stream is open (decide what a run waits for, say). Each event is checked against the document as it comes.
     */
    OpenStream open(HttpRequest.Builder builder) {
        HttpRequest request = builder.header("Accept", "text/event-stream").build();
        return new OpenStream(request, sendForStream(request));
    }

    /** Sends a request that asks for an event stream; fails the test, after checking the answer, if it got none. */
    private HttpResponse<InputStream> sendForStream(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (!contentType.startsWith("text/event-stream")) {
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                ApiDocument.get().checkAnswer(request.method(), request.uri().getRawPath(), response.statusCode(), contentType, body);
                throw new AssertionError("no event stream but " + response.statusCode() + " " + body);
            }
            ApiDocument.get().checkAnswer(request.method(), request.uri().getRawPath(), response.statusCode(), contentType, "");
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads {@code body} to its end, checking each event's data against the document before giving it to {@code each}. */
    private static void readEvents(HttpRequest request, InputStream body, java.util.function.Consumer<JsonNode> each)
            throws IOException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    String data = line.substring(5).strip();
                    ApiDocument.get().checkEvent(request.method(), request.uri().getRawPath(), data);
                    each.accept(parse(data));
                }
            }
        }
    }

    /** An event stream being read: the events so far (heartbeats included), and whether it has ended. */
    static final class OpenStream implements AutoCloseable {
        private final HttpResponse<InputStream> response;
        private final List<JsonNode> events = new CopyOnWriteArrayList<>();
        private volatile boolean ended;
        private volatile Throwable failure;

        private OpenStream(HttpRequest request, HttpResponse<InputStream> response) {
            this.response = response;
            Thread.ofVirtual().name("test-stream-reader").start(() -> read(request));
        }

        private void read(HttpRequest request) {
            try {
                readEvents(request, response.body(), events::add);
            } catch (IOException | RuntimeException | AssertionError e) {
                failure = e;
            } finally {
                ended = true;
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no header " + name));
        }

        /** The events so far; fails the test if one broke the document. */
        List<JsonNode> events() {
            if (failure instanceof AssertionError broken) {
                throw broken;
            }
            return List.copyOf(events);
        }

        /** The types of the events so far, heartbeats left out. */
        List<String> types() {
            return events().stream().map(event -> event.get("type").asText()).filter(type -> !type.equals("heartbeat"))
                    .toList();
        }

        boolean ended() {
            return ended;
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException e) {
                // the stream is being dropped anyway
            }
        }
    }

    /** Sends a chat message and reads the whole answer stream. */
    List<JsonNode> chat(String agent, String json) {
        return stream(request("/api/agents/" + agent + "/chat").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Registers an agent with no tools, as an administrator would, and returns it. */
    JsonNode createAgent(String id) {
        Answer created = asAdmin("POST", "/api/agents", json("id", id, "name", "Agent " + id, "instructions", "Answer briefly."));
        if (created.status() != 201) {
            throw new AssertionError("could not create agent " + id + ": " + created.status() + " " + created.body());
        }
        return created.json();
    }

    /** A JSON object of these keys and values. */
    static String json(Object... keysAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return node.toString();
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
