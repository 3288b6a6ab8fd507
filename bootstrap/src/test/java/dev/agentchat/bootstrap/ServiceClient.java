package dev.agentchat.bootstrap;

import dev.agentchat.adapter.http.ApiDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A plain JDK HTTP client for a service listening on a loopback port, in this process or another. Every
 * answer it receives is held against the OpenAPI document before a test sees it ({@link ApiDocument}).
 */
final class ServiceClient implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    ServiceClient(int port) {
        this.port = port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Opens a run's event stream, as a client that reconnects does; {@code lastEventId} and {@code query} may be null. */
    SseStream events(String agent, String threadId, String runId, String lastEventId, String query) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/agents/" + agent + "/threads/" + threadId
                        + "/runs/" + runId + "/events" + (query == null ? "" : "?" + query)))
                .header("Accept", "text/event-stream")
                .GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return open(request.build());
    }

    /** Sends a chat message with headers of the caller's choosing and returns the open event stream. */
    SseStream chat(String agent, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/agents/" + agent + "/chat"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return open(request.build());
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            ApiDocument.get().checkAnswer(response.request().method(), response.request().uri().getRawPath(),
                    response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body());
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private SseStream open(HttpRequest request) {
        try {
            return new SseStream(http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
