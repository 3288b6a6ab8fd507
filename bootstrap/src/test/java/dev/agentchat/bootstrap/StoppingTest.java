package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.agentchat.adapter.cosmos.CosmosTestServer;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelMessage;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import dev.agentchat.ports.contract.model.Chunks;
import dev.agentchat.ports.contract.model.FakeOpenAiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A service started as {@link Main} starts it and then stopped leaves nothing of its own running: no
 * thread that would keep the process alive, and no client of Cosmos DB or of the model still open.
 */
class StoppingTest {
    /** Generous: threads end on their own once told to, which takes milliseconds unless the machine is busy. */
    private static final Duration WITHIN = Duration.ofSeconds(20);
    /** The thread each Cosmos DB client runs to follow the account's regions, until it is closed. */
    private static final String COSMOS_CLIENT_THREAD = "global-endpoint-mgr";
    /** The test's own stand-in for the model service, which stops after each test. */
    private static final String FAKE_MODEL_SERVICE = "fake-openai";

    private final FakeOpenAiServer openAi = FakeOpenAiServer.start();

    @AfterEach
    void stopModelService() {
        openAi.close();
    }

    @Test
    void the_embedded_service_leaves_no_thread_running_once_stopped() {
        // given
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Set<Long> virtualBefore = virtualThreads().keySet();
        Settings settings = Settings.forTests();

        // when
        try (Components components = Main.chooseComponents(settings).build();
             Application application = Application.start(settings, components)) {
            answerOneQuestion(application);
        }

        // then
        assertNoneLeft(before, thread -> !thread.isDaemon(), "non-daemon");
        assertNoVirtualThreadLeft(virtualBefore);
    }

    @ParameterizedTest
    @EnumSource(Settings.ModelClient.class)
    void the_service_on_cosmos_db_and_a_model_service_closes_both_clients_once_stopped(Settings.ModelClient client) {
        // given
        Map<String, String> values = new HashMap<>(Map.of(
                "COSMOS_ENDPOINT", CosmosTestServer.endpoint(),
                "COSMOS_KEY", CosmosTestServer.key(),
                "COSMOS_DATABASE_NAME", "agentchat-stop-" + UUID.randomUUID(),
                "AZURE_OPENAI_ENDPOINT", openAi.endpoint(),
                "AZURE_OPENAI_DEPLOYMENT_NAME", "gpt-4o-mini",
                "AZURE_OPENAI_API_KEY", FakeOpenAiServer.TEST_KEY,
                "OPENAI_CLIENT", client.setting()));
        Settings settings = Settings.forTests(values);
        openAi.enqueue(anAnswer()).enqueue(anAnswer());
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Set<Long> virtualBefore = virtualThreads().keySet();
        Components components;

        // when
        try (Components built = Main.chooseComponents(settings).build();
             Application application = Application.start(settings, built)) {
            components = built;
            answerOneQuestion(application);
        }

        // then
        assertNoneLeft(before, thread -> !thread.isDaemon(), "non-daemon");
        assertNoneLeft(before, thread -> thread.getName().contains(COSMOS_CLIENT_THREAD), "Cosmos DB client");
        assertNoVirtualThreadLeft(virtualBefore);
        try (ModelStream stream = components.model().stream(new ModelRequest(AgentId.of("support-triage"), "Be brief.",
                List.of(ModelMessage.user("Still there?"))))) {
            assertThatThrownBy(stream::next).as("the model's client is closed, though an answer waits").isInstanceOf(ModelFailure.class);
        }
        assertThat(openAi.requests()).as("only the question asked while the service ran").hasSize(1);
    }

    /**
     * Virtual threads (the runs, their watches, the search for abandoned runs, the server's connections)
     * keep no process alive, and {@link Thread#getAllStackTraces()} does not list them; a thread dump does.
     * None started by the service may outlive it.
     */
    private static void assertNoVirtualThreadLeft(Set<Long> before) {
        List<String> left = Await.read(() -> virtualThreads().entrySet().stream()
                        .filter(thread -> !before.contains(thread.getKey()) && !thread.getValue().startsWith(FAKE_MODEL_SERVICE))
                        .map(thread -> "'" + thread.getValue() + "'").sorted().toList(),
                List::isEmpty, WITHIN);
        assertThat(left).as("virtual threads started by the service and still alive %s after it stopped", WITHIN).isEmpty();
    }

    /** The virtual threads alive now, by id, with their names, from a thread dump. */
    private static Map<Long, String> virtualThreads() {
        try {
            Path file = Files.createTempDirectory("threads").resolve("dump.json");
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            JsonNode dump = ServiceUnderTest.JSON.readTree(file.toFile());
            Files.delete(file);
            Files.delete(file.getParent());
            Map<Long, String> threads = new HashMap<>();
            for (JsonNode container : dump.path("threadDump").path("threadContainers")) {
                for (JsonNode thread : container.path("threads")) {
                    if (thread.path("virtual").asBoolean()) {
                        threads.put(thread.path("tid").asLong(), thread.path("name").asText());
                    }
                }
            }
            return threads;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FakeOpenAiServer.Reply anAnswer() {
        return FakeOpenAiServer.Reply.stream().data(Chunks.role()).data(Chunks.text("Hello.")).data(Chunks.finish("stop")).done();
    }

    private static void answerOneQuestion(Application application) {
        try (ServiceClient client = new ServiceClient(application.port());
             SseStream stream = client.chat("support-triage", body("message", "Hello?"))) {
            assertThat(stream.readToEnd().types()).endsWith("done");
        }
    }

    /** Waits until no thread started since {@code before} and matching {@code kind} is alive; names any left. */
    private static void assertNoneLeft(Set<Thread> before, Predicate<Thread> kind, String description) {
        List<String> left = Await.read(() -> Thread.getAllStackTraces().keySet().stream()
                        .filter(thread -> !before.contains(thread) && kind.test(thread))
                        .map(thread -> thread.getName() + " (" + thread.getState() + ")").sorted().toList(),
                List::isEmpty, WITHIN);
        assertThat(left).as("%s threads started by the service and still alive %s after it stopped", description, WITHIN)
                .isEmpty();
    }
}
