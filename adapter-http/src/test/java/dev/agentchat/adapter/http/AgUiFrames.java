package dev.agentchat.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An AG-UI stream read frame by frame as it arrives, each frame with its {@code id:} line as sent, its data
 * checked against the OpenAPI document; SSE comments (pings) kept apart.
 */
final class AgUiFrames implements AutoCloseable {
    /** One frame: its id ({@code null} when it has none) and its data. */
    record Frame(String id, String data) {
        JsonNode json() {
            return ApiClient.parse(data);
        }

        String type() {
            return json().get("type").asText();
        }
    }

    private final HttpResponse<InputStream> response;
    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private volatile boolean ended;
    private volatile Throwable failure;

    private AgUiFrames(HttpRequest request, HttpResponse<InputStream> response) {
        this.response = response;
        Thread.ofVirtual().name("test-ag-ui-reader").start(() -> read(request));
    }

    /** Sends the request and reads its stream on a thread of its own; fails the test if the answer is no stream. */
    static AgUiFrames open(HttpClient http, HttpRequest request) {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (response.statusCode() != 200 || !contentType.startsWith("text/event-stream")) {
                throw new AssertionError("no event stream but " + response.statusCode() + " "
                        + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
            }
            ApiDocument.get().checkAnswer(request.method(), request.uri().getRawPath(), 200, contentType, "");
            return new AgUiFrames(request, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read(HttpRequest request) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        ApiDocument.get().checkEvent(request.method(), request.uri().getRawPath(), data);
                        frames.add(new Frame(id, data));
                    }
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else {
                    throw new AssertionError("a line no AG-UI frame has: " + line);
                }
            }
        } catch (IOException | RuntimeException | AssertionError e) {
            failure = e;
        } finally {
            ended = true;
        }
    }

    String header(String name) {
        return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no header " + name));
    }

    /** The frames so far; fails the test if one broke the document or the framing. */
    List<Frame> frames() {
        if (failure instanceof AssertionError broken) {
            throw broken;
        }
        return List.copyOf(frames);
    }

    List<String> types() {
        return frames().stream().map(Frame::type).toList();
    }

    List<String> comments() {
        return List.copyOf(comments);
    }

    /** Whether the stream has ended; fails the test if it ended on a broken frame. */
    boolean ended() {
        if (ended) {
            frames();
        }
        return ended;
    }

    /** Drops the connection, as a client whose network failed would. */
    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // the stream is being dropped anyway
        }
    }
}
