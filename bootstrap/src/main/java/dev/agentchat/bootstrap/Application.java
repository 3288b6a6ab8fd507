package dev.agentchat.bootstrap;

import dev.agentchat.adapter.http.AdminGuard;
import dev.agentchat.adapter.http.Caller;
import dev.agentchat.adapter.http.HttpApi;
import dev.agentchat.adapter.http.HttpSettings;
import dev.agentchat.ports.agent.AgentService;
import dev.agentchat.ports.chat.ChatService;
import dev.agentchat.ports.thread.ThreadService;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/** The running service: the services wired to the components, behind the HTTP API. */
public final class Application implements AutoCloseable {
    private final WebServer server;

    private Application(WebServer server) {
        this.server = server;
    }

    /** Wires everything and starts listening. */
    public static Application start(Settings settings, Components components) {
        ChatService chat = new ChatService(components.agents(), components.threads(), components.messages(),
                components.runs(), components.steps(), components.model(), components.tools(), components.clock(),
                components.ids(), settings.chat());
        ThreadService threads = new ThreadService(components.agents(), components.threads(), components.messages(),
                components.runs(), components.steps(), components.clock());
        AgentService agents = new AgentService(components.agents(), components.tools(), components.clock());
        HttpApi api = new HttpApi(chat, threads, threads, threads, agents,
                AdminGuard.bearerKey(settings.values().get("ADMIN_API_KEY")), Caller.ANONYMOUS, components.clock(),
                new HttpSettings(settings.heartbeatInterval(), settings.maxRequestBytes()));
        WebServerConfig.Builder server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .featuresDiscoverServices(false)
                // Main stops the server itself, so that the log says so in order.
                .shutdownHook(false);
        return new Application(api.applyTo(server).build().start());
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
