package dev.agentchat.bootstrap;

import dev.agentchat.adapter.http.AdminGuard;
import dev.agentchat.adapter.http.Caller;
import dev.agentchat.adapter.http.HttpApi;
import dev.agentchat.adapter.http.HttpSettings;
import dev.agentchat.ports.agent.AgentService;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.chat.TurnContext;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecords;
import dev.agentchat.ports.run.RunService;
import dev.agentchat.ports.thread.ThreadService;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The running service: the services wired to the components, behind the HTTP API. */
public final class Application implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Application.class.getName());

    /** How long stopping waits for the runs still going to record their ends. */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(5);

    private final WebServer server;
    private final HttpApi api;
    private final RunControl runs;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread recovery;

    private Application(WebServer server, HttpApi api, RunControl runs) {
        this.server = server;
        this.api = api;
        this.runs = runs;
        this.recovery = Thread.ofVirtual().name("run-recovery").start(this::recoverAbandonedRuns);
    }

    /** Wires everything and starts listening. */
    public static Application start(Settings settings, Components components) {
        RunRecords records = new RunRecords(components.threads(), components.messages(), components.runs(), components.steps());
        RunControl runs = RunControl.create(components.events(), records, components.clock(), components.ids(), settings.runs());
        ChatService chat = new ChatService(components.agents(), new TurnContext(records, components.model(), components.tools(),
                components.clock(), components.ids(), settings.chat()), runs, components.idempotencyKeys());
        ThreadService threads = new ThreadService(components.agents(), records, components.events(), components.clock());
        RunService runService = new RunService(components.agents(), records, runs, components.clock());
        AgentService agents = new AgentService(components.agents(), components.tools(), components.clock());
        HttpApi api = new HttpApi(chat, threads, threads, threads, runService, agents,
                AdminGuard.bearerKey(settings.values().get("ADMIN_API_KEY")), Caller.ANONYMOUS, components.clock(),
                new HttpSettings(settings.heartbeatInterval(), settings.maxRequestBytes(), settings.requestReadTimeout(),
                        settings.maxConnections()));
        WebServerConfig.Builder server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .featuresDiscoverServices(false)
                // Main stops the server itself, so that the log says so in order.
                .shutdownHook(false);
        return new Application(api.applyTo(server).build().start(), api, runs);
    }

    public int port() {
        return server.port();
    }

    /**
     * Ends the runs that instances which stopped (this one before a restart, or others sharing the
     * store) left unfinished: at start-up, then every grace period, so none keeps a thread busy.
     */
    private void recoverAbandonedRuns() {
        long every = runs.settings().abandonGrace().toMillis();
        do {
            try {
                int ended = runs.recovery().recoverAbandoned();
                if (ended > 0) {
                    LOG.log(Level.INFO, "Ended {0} runs abandoned by a stopped instance", ended);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not look for abandoned runs", e);
            }
        } while (!awaitStop(every));
    }

    private boolean awaitStop(long millis) {
        try {
            return stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Ends the runs still going (their clients get an error event), then stops serving. */
    @Override
    public void close() {
        stopping.countDown();
        int stopped = runs.live().stopAll(STOP_PATIENCE);
        if (stopped > 0) {
            LOG.log(Level.INFO, "Ended {0} runs that were still going", stopped);
        }
        try {
            if (!api.awaitStreamsClosed(STOP_PATIENCE)) {
                LOG.log(Level.WARNING, "Some event streams were still open when the server stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        stopRecovery();
    }

    /**
     * Waits for the recovery thread to see the stop; one still busy with the store after the patience is
     * interrupted, so that it never outlives the application (and the store's client, closed next).
     */
    private void stopRecovery() {
        try {
            if (!recovery.join(STOP_PATIENCE)) {
                LOG.log(Level.WARNING, "The search for abandoned runs did not stop in time: interrupting it");
                recovery.interrupt();
                recovery.join(STOP_PATIENCE);
            }
        } catch (InterruptedException e) {
            recovery.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
