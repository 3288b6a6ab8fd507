package dev.agentchat.adapter.http;

import dev.agentchat.adapter.http.health.HealthHttpService;
import dev.agentchat.adapter.http.health.ProbeHttpService;
import dev.agentchat.adapter.http.metrics.MetricsHttpService;
import dev.agentchat.adapter.http.observe.RequestWatch;
import dev.agentchat.adapter.http.agent.AgentHttpService;
import dev.agentchat.adapter.http.agui.AgUiHttpService;
import dev.agentchat.adapter.http.auth.Authentication;
import dev.agentchat.adapter.http.chat.ChatHttpService;
import dev.agentchat.adapter.http.chat.OpenStreams;
import dev.agentchat.adapter.http.edge.Cors;
import dev.agentchat.adapter.http.edge.GlobalMappers;
import dev.agentchat.adapter.http.edge.GuardedHttp1;
import dev.agentchat.adapter.http.edge.HeadAsGet;
import dev.agentchat.adapter.http.edge.SecurityHeaders;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.Problems;
import dev.agentchat.adapter.http.run.RunHttpService;
import dev.agentchat.adapter.http.thread.ThreadHttpService;
import dev.agentchat.adapter.http.web.BrowserSignIn;
import dev.agentchat.adapter.http.web.SignInConfigService;
import dev.agentchat.adapter.http.web.WebUi;
import dev.agentchat.ports.agent.ManageAgents;
import dev.agentchat.ports.health.CheckHealth;
import dev.agentchat.ports.chat.DecideApprovals;
import dev.agentchat.ports.chat.ResumeClientThread;
import dev.agentchat.ports.chat.StartChat;
import dev.agentchat.ports.run.RunService;
import dev.agentchat.ports.thread.DeleteThread;
import dev.agentchat.ports.thread.ListThreads;
import dev.agentchat.ports.thread.ReadThread;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.time.Clock;
import io.helidon.common.Weighted;
import io.helidon.integrations.openapi.ui.OpenApiUi;
import io.helidon.openapi.OpenApiFeature;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole HTTP API: the agent registry, chat, thread and run endpoints under {@code /api/agents}, {@code /health}
 * and its probes {@code /health/live} and {@code /health/ready}, the metrics at {@code /metrics} when there are
 * any to serve, the OpenAPI document at {@code /openapi} and its Swagger UI at {@code /docs}, how a browser signs in
 * at {@code /auth/config}, and the web UI at {@code /} when it is on the class path. With authentication on, every
 * {@code /api/**} request needs a credential; everything else stays public. Every request is watched as the
 * {@link Observability} says, and logged in the access log unless the settings turn it off.
 */
public final class HttpApi {
    private final StartChat startChat;
    private final ListThreads listThreads;
    private final ReadThread readThread;
    private final DeleteThread deleteThread;
    private final RunService runs;
    private final DecideApprovals decideApprovals;
    private final ResumeClientThread resumeClientThread;
    private final ManageAgents manageAgents;
    private final CheckHealth checkHealth;
    private final Authentication authentication;
    private final Clock clock;
    private final HttpSettings settings;
    private final OpenStreams streams;
    private final BrowserSignIn browserSignIn;
    private final Optional<WebUi> webUi;
    private final Observability observability;
    private volatile RouteTable routeTable = new RouteTable();

    public HttpApi(StartChat startChat, ListThreads listThreads, ReadThread readThread, DeleteThread deleteThread,
                   RunService runs, DecideApprovals decideApprovals, ResumeClientThread resumeClientThread,
                   ManageAgents manageAgents, CheckHealth checkHealth, Authentication authentication, Clock clock,
                   HttpSettings settings) {
        this(startChat, listThreads, readThread, deleteThread, runs, decideApprovals, resumeClientThread, manageAgents,
                checkHealth, authentication, clock, settings, Observability.none());
    }

    /** The API, watched as {@code observability} says. */
    public HttpApi(StartChat startChat, ListThreads listThreads, ReadThread readThread, DeleteThread deleteThread,
                   RunService runs, DecideApprovals decideApprovals, ResumeClientThread resumeClientThread,
                   ManageAgents manageAgents, CheckHealth checkHealth, Authentication authentication, Clock clock,
                   HttpSettings settings, Observability observability) {
        this.observability = Objects.requireNonNull(observability, "observability");
        this.startChat = Objects.requireNonNull(startChat, "startChat");
        this.listThreads = Objects.requireNonNull(listThreads, "listThreads");
        this.readThread = Objects.requireNonNull(readThread, "readThread");
        this.deleteThread = Objects.requireNonNull(deleteThread, "deleteThread");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.decideApprovals = Objects.requireNonNull(decideApprovals, "decideApprovals");
        this.resumeClientThread = Objects.requireNonNull(resumeClientThread, "resumeClientThread");
        this.manageAgents = Objects.requireNonNull(manageAgents, "manageAgents");
        this.checkHealth = Objects.requireNonNull(checkHealth, "checkHealth");
        this.authentication = Objects.requireNonNull(authentication, "authentication");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.streams = new OpenStreams(clock, observability.telemetry());
        this.settings = Objects.requireNonNull(settings, "settings");
        this.browserSignIn = settings.browserSignIn()
                .orElse(authentication.isOn() ? BrowserSignIn.apiKey() : BrowserSignIn.none());
        // The page would ask nobody to sign in to a service that refuses it, or ask for a key nobody checks.
        if (authentication.isOn() == (browserSignIn.kind() == BrowserSignIn.Kind.NONE)) {
            throw new IllegalArgumentException("Browsers would be told authentication is "
                    + browserSignIn.kind().wireName() + " while it is " + (authentication.isOn() ? "on" : "off"));
        }
        // Read once: the UI's files are part of the build, and do not change while the service runs.
        this.webUi = WebUi.in(settings.webUiFolder(), WebUi.class.getClassLoader());
    }

    /** Whether the web UI is served (its folder is on the class path). */
    public boolean servesWebUi() {
        return webUi.isPresent();
    }

    /** Adds the API's routes and documentation to a server being built. */
    public WebServerConfig.Builder applyTo(WebServerConfig.Builder server) {
        GlobalMappers.pin();
        return GuardedHttp1.applyTo(server, settings.readTimeout(), settings.maxConnections())
                // Helidon leaves Nagle's algorithm on: a token written while the client has not yet acknowledged
                // the one before waits for that ack, up to the client's delayed-ack time (40 ms on Linux).
                .connectionOptions(options -> options.tcpNoDelay(true))
                .directHandlers(Problems.directHandlers())
                .addFeature(OpenApiFeature.builder()
                        .servicesDiscoverServices(false)
                        .staticFile("META-INF/openapi.yaml")
                        .addService(OpenApiUi.builder().webContext("/docs").build())
                        .build())
                .routing(this::routing);
    }

    /** Waits at most {@code patience} for the event streams open now to send their last events and close. */
    public boolean awaitStreamsClosed(Duration patience) throws InterruptedException {
        return streams.awaitNone(patience);
    }

    /** The routes the last routing built registered, as the OpenAPI document must list them. */
    public List<RouteTable.Route> routes() {
        return routeTable.routes();
    }

    /** The API's routes, error handling included. */
    public void routing(HttpRouting.Builder routing) {
        Problems.handleErrors(routing);
        // First, so that every request is watched, those the filters below refuse too; nothing to do, no filter.
        if (observability.telemetry() != Telemetry.OFF || settings.accessLog()) {
            routing.addFilter(new RequestWatch(observability.telemetry(), clock, settings.accessLog()));
        }
        // In this order: a client that asks for its connection to close has it closed after the answer; every
        // answer gets the security headers; an unreadable Accept header is a 400 on every
        // route (the OpenAPI document reads it too); a CORS preflight is answered before it could
        // be refused for want of the credential a browser never sends with it; then the credential, once.
        routing.addFilter(GuardedHttp1.closingWhenAsked())
                .addFilter(new SecurityHeaders(browserSignIn.origin()))
                .addFilter((chain, req, res) -> {
                    AcceptHeader.requireReadable(req);
                    chain.proceed();
                })
                .addFilter(new Cors(settings.corsAllowedOrigins()))
                .addFilter(authentication.filter());
        Caller caller = authentication.caller();
        // A table per routing built: the routes listed are those of the routing the server really uses.
        RouteTable table = new RouteTable();
        routeTable = table;
        table.record(HeadAsGet.rules(routing)).register("/api/agents",
                        new ChatHttpService(startChat, caller, clock, settings.heartbeatInterval(), settings.maxBodyBytes(),
                                streams),
                        new AgUiHttpService(startChat, resumeClientThread, runs, caller, clock, settings.heartbeatInterval(),
                                settings.maxBodyBytes(), streams),
                        new ThreadHttpService(listThreads, readThread, deleteThread, caller),
                        new RunHttpService(runs, runs, runs, runs, decideApprovals, caller, clock,
                                settings.heartbeatInterval(), settings.maxBodyBytes(), streams),
                        new AgentHttpService(manageAgents, authentication.adminGuard(), settings.maxBodyBytes()))
                .register("/health", new HealthHttpService(checkHealth), new ProbeHttpService(observability.readiness()))
                .register("/auth/config", new SignInConfigService(browserSignIn));
        // Without metrics to serve, /metrics is a path like any other nobody serves: 404.
        observability.metrics().ifPresent(metrics -> table.record(HeadAsGet.rules(routing))
                .register("/metrics", new MetricsHttpService(metrics)));
        // The UI's pages are not operations of the API, so they stay out of its table and its document, as /docs does;
        // a table of their own names their routes all the same, for their requests' spans and access log lines.
        webUi.ifPresent(ui -> ui.routing(new RouteTable().record(HeadAsGet.rules(routing))));
        routing.addFeature(new NotFoundFeature());
    }

    /**
     * Answers every request no route took with a problem. It is a feature of the lowest weight so that
     * it is registered after all the others (the OpenAPI document and UI are features too).
     */
    private static final class NotFoundFeature implements HttpFeature, Weighted {
        @Override
        public void setup(HttpRouting.Builder routing) {
            routing.any(HeadAsGet.handler((req, res) -> Problems.send(res, Problem.notFound("not_found",
                    "There is no endpoint " + req.prologue().method().text() + " " + req.path().path() + "."))));
        }

        @Override
        public double weight() {
            return 0.1;
        }
    }
}
