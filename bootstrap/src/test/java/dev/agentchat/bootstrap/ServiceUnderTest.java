package dev.agentchat.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The real service on a free loopback port, wired like production but with a scripted model, and a
 * plain JDK HTTP client to talk to it. Each test gets its own.
 */
final class ServiceUnderTest implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final ScriptedChatModel model = new ScriptedChatModel();
    final Components components;
    final Settings settings;
    private final Application application;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServiceUnderTest() {
        this(UnaryOperator.identity());
    }

    ServiceUnderTest(UnaryOperator<Components> customise) {
        this(java.util.Map.of(), customise);
    }

    ServiceUnderTest(java.util.Map<String, String> moreSettings, UnaryOperator<Components> customise) {
        this.settings = Settings.forTests(moreSettings);
        this.components = customise.apply(Components.embedded(settings).withModel(model));
        this.application = Application.start(settings, components);
    }

    private ServiceUnderTest(Settings settings, Components shared) {
        this.settings = settings;
        this.components = shared.withModel(model);
        this.application = Application.start(settings, components);
    }

    /** A second instance of the service that shares this one's stores (as instances share one Cosmos account). */
    ServiceUnderTest anotherInstance() {
        return new ServiceUnderTest(settings, components);
    }

    /** Opens a run's event stream, as a client that reconnects does; {@code lastEventId} may be null. */
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

    /** Sends a chat message with headers of the test's choosing and returns the open event stream. */
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

    HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
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

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + application.port() + path);
    }

    int port() {
        return application.port();
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
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

    HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** A JSON POST that asks for a JSON answer. */
    HttpResponse<String> postJson(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Runs a whole chat turn and returns its `done` event (failing the test if it ends otherwise). */
    JsonNode chatToDone(String agent, String body) {
        try (SseStream stream = chat(agent, body)) {
            return stream.readToEnd().last("done");
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String body(Object... keysAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.set((String) keysAndValues[i], JSON.valueToTree(keysAndValues[i + 1]));
        }
        return node.toString();
    }

    @Override
    public void close() {
        application.close();
    }
}
