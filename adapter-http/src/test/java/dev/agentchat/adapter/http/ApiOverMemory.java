package dev.agentchat.adapter.http;

import dev.agentchat.adapter.http.auth.Authentication;
import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.ScriptedChatModel;
import dev.agentchat.adapter.memory.store.InMemoryEventLog;
import dev.agentchat.adapter.memory.store.InMemoryIdempotencyKeys;
import dev.agentchat.adapter.memory.store.InMemoryMessageStore;
import dev.agentchat.adapter.memory.store.InMemoryRunStore;
import dev.agentchat.adapter.memory.store.InMemoryStepStore;
import dev.agentchat.adapter.memory.store.InMemoryThreadStore;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.ports.agent.AgentService;
import dev.agentchat.ports.health.HealthService;
import dev.agentchat.ports.chat.ApprovalService;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.StartChat;
import dev.agentchat.ports.chat.ClientThreadResumes;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunService;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.ports.telemetry.ReadMetrics;
import dev.agentchat.ports.thread.ThreadService;
import dev.agentchat.ports.time.Clock;
import io.helidon.webserver.WebServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The HTTP API alone on a free loopback port, over the in-memory stores, a scripted model and
 * scripted tools: the routes of this module, tested in this module.
 */
final class ApiOverMemory implements AutoCloseable {
    static final String ADMIN_KEY = "route-test-admin-key";
    /** The heartbeat interval: a quiet stream gets a heartbeat after half of it. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(15);
    /** What {@code /metrics} serves unless a test gives other metrics: one gauge, in Prometheus's text format. */
    static final ReadMetrics METRICS = () -> new ReadMetrics.Exposition("text/plain; version=0.0.4; charset=utf-8",
            "# TYPE agentchat_up gauge\nagentchat_up 1\n".getBytes(StandardCharsets.UTF_8));

    final ScriptedChatModel model = new ScriptedChatModel();
    final ScriptedToolRuntime tools = new ScriptedToolRuntime();
    final HttpApi api;
    final ApprovalService approvals;
    private final RunControl runs;
    private final WebServer server;

    ApiOverMemory() {
        this(Clock.system(), RunSettings.defaults());
    }

    /** Over {@code clock} (a manual one moves every deadline and heartbeat), with runs under {@code runSettings}. */
    ApiOverMemory(Clock clock, RunSettings runSettings) {
        this(clock, runSettings, Authentication.off(Optional.of(ADMIN_KEY)), List.of(), UnaryOperator.identity());
    }

    /** With this authentication, and browsers of {@code corsAllowedOrigins} allowed. */
    ApiOverMemory(Authentication authentication, List<String> corsAllowedOrigins) {
        this(Clock.system(), RunSettings.defaults(), authentication, corsAllowedOrigins, UnaryOperator.identity());
    }

    /** With this authentication, and the HTTP settings changed by {@code settings} (the web UI's folder, its sign-in). */
    ApiOverMemory(Authentication authentication, UnaryOperator<HttpSettings> settings) {
        this(Clock.system(), RunSettings.defaults(), authentication, List.of(), settings);
    }

    /** With the chat use case as {@code chat} makes it of the real one (to cause a fault the real one never has). */
    static ApiOverMemory withChat(UnaryOperator<StartChat> chat) {
        return new ApiOverMemory(Clock.system(), RunSettings.defaults(), Authentication.off(Optional.of(ADMIN_KEY)), List.of(),
                UnaryOperator.identity(), chat);
    }

    /**
     * Watched as {@code observability} says (the chat turns told to its telemetry too), with the HTTP settings
     * changed by {@code settings}.
     */
    static ApiOverMemory watchedBy(Observability observability, UnaryOperator<HttpSettings> settings) {
        return new ApiOverMemory(Clock.system(), RunSettings.defaults(), Authentication.off(Optional.of(ADMIN_KEY)), List.of(),
                settings, UnaryOperator.identity(), observability);
    }

    private ApiOverMemory(Clock clock, RunSettings runSettings, Authentication authentication, List<String> corsAllowedOrigins,
                          UnaryOperator<HttpSettings> settings) {
        this(clock, runSettings, authentication, corsAllowedOrigins, settings, UnaryOperator.identity());
    }

    private ApiOverMemory(Clock clock, RunSettings runSettings, Authentication authentication, List<String> corsAllowedOrigins,
                          UnaryOperator<HttpSettings> settings, UnaryOperator<StartChat> chatAround) {
        this(clock, runSettings, authentication, corsAllowedOrigins, settings, chatAround, Observability.none().withMetrics(METRICS));
    }

    private ApiOverMemory(Clock clock, RunSettings runSettings, Authentication authentication, List<String> corsAllowedOrigins,
                          UnaryOperator<HttpSettings> settings, UnaryOperator<StartChat> chatAround, Observability observability) {
        IdSource ids = IdSource.random();
        InMemoryAgentStore agents = new InMemoryAgentStore();
        InMemoryThreadStore threads = new InMemoryThreadStore();
        InMemoryMessageStore messages = new InMemoryMessageStore();
        InMemoryRunStore runStore = new InMemoryRunStore();
        InMemoryStepStore steps = new InMemoryStepStore();
        InMemoryEventLog events = new InMemoryEventLog();
        RunRecords records = new RunRecords(threads, messages, runStore, steps);
        runs = RunControl.create(events, records, clock, ids, runSettings);
        TurnContext turns = new TurnContext(records, model, tools, clock, ids, ChatSettings.defaults())
                .watchedBy(observability.telemetry());
        ChatService chat = new ChatService(agents, turns, runs, new InMemoryIdempotencyKeys());
        approvals = new ApprovalService(agents, turns, runs);
        ThreadService threadService = new ThreadService(agents, records, events, clock);
        RunService runService = new RunService(agents, records, runs, clock);
        api = new HttpApi(chatAround.apply(chat), threadService, threadService, threadService, runService, approvals,
                new ClientThreadResumes(agents, turns, approvals, runs.streams()),
                new AgentService(agents, tools, clock), new HealthService(tools), authentication, clock,
                settings.apply(new HttpSettings(HEARTBEAT_INTERVAL, HttpSettings.DEFAULT_MAX_BODY_BYTES,
                        HttpSettings.DEFAULT_READ_TIMEOUT, HttpSettings.DEFAULT_MAX_CONNECTIONS, corsAllowedOrigins)),
                observability);
        server = api.applyTo(WebServer.builder().host("127.0.0.1").port(0).featuresDiscoverServices(false)
                .shutdownHook(false)).build().start();
    }

    int port() {
        return server.port();
    }

    /** The instance drains, as it does when it is told to stop: it starts and resumes no run any more. */
    void drain() {
        runs.live().drain();
    }

    @Override
    public void close() {
        runs.live().stopAll(Duration.ofSeconds(5));
        server.stop();
    }
}
