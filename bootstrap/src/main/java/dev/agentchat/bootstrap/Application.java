package dev.agentchat.bootstrap;

import dev.agentchat.adapter.http.HttpApi;
import dev.agentchat.adapter.http.HttpSettings;
import dev.agentchat.adapter.http.Observability;
import dev.agentchat.adapter.http.auth.Authentication;
import dev.agentchat.ports.agent.AgentService;
import dev.agentchat.ports.health.HealthService;
import dev.agentchat.ports.health.ReadinessService;
import dev.agentchat.ports.chat.ApprovalService;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.ClientThreadResumes;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.run.LiveRuns;
import dev.agentchat.ports.run.RecoverySweep;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunRecovery;
import dev.agentchat.ports.run.RunService;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.thread.ThreadService;
import dev.agentchat.ports.time.Clock;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

/** The running service: the services wired to the components, behind the HTTP API. */
public final class Application implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Application.class.getName());

    /** How long stopping waits for the runs still going to record their ends. */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(5);

    private final WebServer server;
    private final HttpApi api;
    private final RunControl runs;
    private final RecoverySweep recovery;
    private final ReadinessService readiness;
    /** How long the runs in flight get to finish at shutdown before they are ended. */
    private final Duration drainTime;

    private Application(WebServer server, HttpApi api, RunControl runs, ApprovalService approvals, ReadinessService readiness,
                        Clock clock, Duration drainTime) {
        this.server = server;
        this.drainTime = drainTime;
        this.readiness = readiness;
        this.api = api;
        this.runs = runs;
        // At start-up, then every grace period, so that no run a stopped instance left keeps its thread busy, and
        // no run waits past its approval's expiry by more than one period, whichever instance paused it.
        RunRecovery recovery = runs.recovery();
        this.recovery = RecoverySweep.start(clock, runs.settings().abandonGrace(), recovery::recoverAbandoned,
                approvals::expireOverdue);
    }

    /** Wires everything, watched by the components' telemetry, and starts listening. */
    public static Application start(Settings settings, Components components) {
        Telemetry telemetry = components.telemetry().telemetry();
        RunRecords records = new RunRecords(components.threads(), components.messages(), components.runs(), components.steps());
        RunControl runs = RunControl.create(components.events(), records, components.clock(), components.ids(), settings.runs());
        Authentication authentication = ApiAccess.authentication(settings.values(), components.tokens());
        TurnContext turns = new TurnContext(records, components.model(), components.tools(), components.clock(),
                components.ids(), chatSettings(settings, authentication)).watchedBy(telemetry);
        ChatService chat = new ChatService(components.agents(), turns, runs, components.idempotencyKeys());
        ApprovalService approvals = new ApprovalService(components.agents(), turns, runs);
        ThreadService threads = new ThreadService(components.agents(), records, components.events(), components.clock());
        RunService runService = new RunService(components.agents(), records, runs, components.clock());
        AgentService agents = new AgentService(components.agents(), components.tools(), components.clock());
        HttpSettings httpSettings;
        try {
            httpSettings = new HttpSettings(settings.heartbeatInterval(), settings.maxRequestBytes(), settings.requestReadTimeout(),
                    settings.maxConnections(), ApiAccess.corsAllowedOrigins(settings.values()));
        } catch (IllegalArgumentException e) {
            throw new Settings.InvalidSettings("CORS_ALLOWED_ORIGINS: " + e.getMessage());
        }
        httpSettings = httpSettings.withBrowserSignIn(ApiAccess.browserSignIn(settings, authentication.isOn()))
                .withAccessLog(settings.accessLog());
        ReadinessService readiness = new ReadinessService(components.required());
        ClientThreadResumes resumes = new ClientThreadResumes(components.agents(), turns, approvals, runs.streams());
        HttpApi api = new HttpApi(chat, threads, threads, threads, runService, approvals, resumes, agents,
                new HealthService(components.tools()), authentication, components.clock(), httpSettings,
                Observability.none().withTelemetry(telemetry).withMetrics(components.telemetry().metrics())
                        .withReadiness(readiness));
        WebServerConfig.Builder server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .featuresDiscoverServices(false)
                // Main stops the server itself, so that the log says so in order.
                .shutdownHook(false);
        Application application = new Application(api.applyTo(server).build().start(), api, runs, approvals, readiness,
                components.clock(), settings.drainTime());
        if (!authentication.isOn()) {
            LOG.log(Level.WARNING, "Authentication is off: anyone who can reach {0}:{1} acts as the same anonymous user "
                    + "and sees every conversation. Set API_KEYS_FILE (or an OpenID Connect issuer) to turn it on.",
                    settings.host(), String.valueOf(application.port()));
        }
        return application;
    }

    /**
     * The chat settings; with authentication off every caller is the one anonymous user, so a limit on a
     * user's active runs would limit the whole instance: it then applies only when set explicitly.
     */
    private static ChatSettings chatSettings(Settings settings, Authentication authentication) {
        if (authentication.isOn() || settings.values().get("MAX_ACTIVE_RUNS_PER_USER").isPresent()) {
            return settings.chat();
        }
        return settings.chat().withMaxActiveRunsPerUser(Integer.MAX_VALUE);
    }

    public int port() {
        return server.port();
    }

    /** Whether the web UI is served: the service was built with it on the class path. */
    public boolean servesWebUi() {
        return api.servesWebUi();
    }

    /**
     * Drains, then stops serving: out of rotation at once; no run started or resumed here from then on (503
     * {@code service_draining}, which a load balancer retries elsewhere), while reads, follows and cancels are
     * still served; the runs in flight get the drain time to finish; those still going are ended
     * ({@code service_stopping}, their clients get an error event) and their events written; only then does the
     * server stop. Each step says so in the log.
     */
    @Override
    public void close() {
        // Out of rotation first: a load balancer that probes readiness sends nothing new while the runs end.
        readiness.drain();
        recovery.requestStop();   // no new look for abandoned runs while this instance ends its own
        LiveRuns live = runs.live();
        live.drain();
        LOG.log(Level.INFO, "Draining: not ready, starting no new run; {0} runs in flight get up to {1} s to finish",
                String.valueOf(live.count()), String.valueOf(drainTime.toSeconds()));
        if (live.awaitIdle(drainTime)) {
            LOG.log(Level.INFO, "Every run in flight has finished");
        } else {
            int stopped = live.stopAll(STOP_PATIENCE);
            LOG.log(Level.INFO, "Ended {0} runs still going after the drain (service_stopping)", String.valueOf(stopped));
            if (live.count() > 0) {
                LOG.log(Level.WARNING, "{0} runs did not record their end within {1} s", String.valueOf(live.count()),
                        String.valueOf(STOP_PATIENCE.toSeconds()));
            }
        }
        try {
            if (!api.awaitStreamsClosed(STOP_PATIENCE)) {
                LOG.log(Level.WARNING, "Some event streams were still open when the server stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        LOG.log(Level.INFO, "The HTTP server has stopped");
        // Stopped after the server, and waited for, so that it never outlives the store's client, closed next.
        recovery.stop(STOP_PATIENCE);
    }
}
