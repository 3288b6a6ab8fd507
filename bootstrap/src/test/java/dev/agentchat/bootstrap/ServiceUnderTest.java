package dev.agentchat.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;
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
    private final Components.Builder wiring;
    /** Whether this instance built the components and so closes them; another instance only shares them. */
    private final boolean ownsComponents;
    private final Application application;
    private final ServiceClient client;

    ServiceUnderTest() {
        this(UnaryOperator.identity());
    }

    ServiceUnderTest(UnaryOperator<Components.Builder> customise) {
        this(java.util.Map.of(), customise);
    }

    ServiceUnderTest(java.util.Map<String, String> moreSettings, UnaryOperator<Components.Builder> customise) {
        this(moreSettings, customise, components -> { });
    }

    private ServiceUnderTest(java.util.Map<String, String> moreSettings, UnaryOperator<Components.Builder> customise,
            Consumer<Components> leftBehind) {
        this.settings = Settings.forTests(moreSettings);
        this.wiring = customise.apply(Components.embedded(settings).model(model));
        this.components = wiring.build();
        this.ownsComponents = true;
        leftBehind.accept(components);
        this.application = Application.start(settings, components);
        this.client = new ServiceClient(application.port());
    }

    /** The service started on stores that already hold what {@code leftBehind} writes (as a stopped instance leaves). */
    static ServiceUnderTest startedAfter(java.util.Map<String, String> moreSettings, Consumer<Components> leftBehind) {
        return new ServiceUnderTest(moreSettings, UnaryOperator.identity(), leftBehind);
    }

    private ServiceUnderTest(Settings settings, Components.Builder shared) {
        this.settings = settings;
        this.wiring = shared;
        this.components = shared.model(model).build();
        this.ownsComponents = false;
        this.application = Application.start(settings, components);
        this.client = new ServiceClient(application.port());
    }

    /** A second instance of the service that shares this one's stores (as instances share one Cosmos account). */
    ServiceUnderTest anotherInstance() {
        return new ServiceUnderTest(settings, wiring);
    }

    /** Opens a run's event stream, as a client that reconnects does; {@code lastEventId} may be null. */
    SseStream events(String agent, String threadId, String runId, String lastEventId, String query) {
        return client.events(agent, threadId, runId, lastEventId, query);
    }

    /** Sends a chat message with headers of the test's choosing and returns the open event stream. */
    SseStream chat(String agent, String body, String... headers) {
        return client.chat(agent, body, headers);
    }

    HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    URI uri(String path) {
        return client.uri(path);
    }

    int port() {
        return application.port();
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        return client.send(request);
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
        // The client stays open: a test may go on reading a stream the service ends as it stops, and
        // closing a JDK client waits for every exchange in flight.
        application.close();
        if (ownsComponents) {
            components.close();
        }
    }
}
