package dev.agentchat.bootstrap;

import dev.agentchat.adapter.cosmos.CosmosSettings;
import dev.agentchat.adapter.cosmos.CosmosStores;
import dev.agentchat.adapter.mcp.McpServer;
import dev.agentchat.adapter.mcp.McpServers;
import dev.agentchat.adapter.mcp.McpTools;
import dev.agentchat.adapter.oidc.OidcSettings;
import dev.agentchat.adapter.oidc.OidcTokenVerifier;
import dev.agentchat.adapter.openai.AzureOpenAiChatModel;
import dev.agentchat.adapter.openai.AzureOpenAiSettings;
import dev.agentchat.adapter.openaijava.OpenAiJavaChatModel;
import dev.agentchat.adapter.openaijava.OpenAiJavaSettings;
import dev.agentchat.adapter.tools.BuiltInTools;
import dev.agentchat.bootstrap.logging.JsonLogFormatter;
import dev.agentchat.bootstrap.logging.LogContext;
import dev.agentchat.bootstrap.logging.LogFormat;
import dev.agentchat.bootstrap.logging.LogsClosedLast;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolRuntimes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Starts agentchat: reads the settings, picks the adapters, serves until stopped. */
public final class Main {
    static {
        // Before the first logger is made (the next line), or the JDK's manager closes the log before the last lines
        // are written; a manager named on the command line is kept. A class literal and a constant initialise
        // nothing, so LogManager, which reads the property as it is initialised, is not yet.
        if (System.getProperty(LogsClosedLast.PROPERTY) == null) {
            System.setProperty(LogsClosedLast.PROPERTY, LogsClosedLast.class.getName());
        }
    }

    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = Settings.load(System.getenv(), args);
        } catch (Settings.InvalidSettings e) {
            System.err.println("agentchat: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        ServiceTelemetry telemetry;
        try {
            telemetry = ServiceTelemetry.from(settings);
        } catch (Settings.InvalidSettings e) {
            System.err.println("agentchat: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        configureLogging(settings, telemetry.logs());
        settings.configFile().ifPresent(file -> LOG.info("Configuration file: " + file));
        if (telemetry.traces()) {
            LOG.info("Traces are exported over OTLP (OTEL_* settings)");
        }
        Components components;
        try {
            components = chooseComponents(settings, telemetry).build();
        } catch (Settings.InvalidSettings e) {
            System.err.println("agentchat: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Application application;
        try {
            application = Application.start(settings, components);
        } catch (RuntimeException e) {
            components.close();
            throw e;
        }
        LOG.info("agentchat is listening on http://" + settings.host() + ":" + application.port()
                + (application.servesWebUi() ? " (web UI at /, " : " (no web UI in this build; ")
                + "API docs at /docs, health at /health)");
        stopOnShutdown(application, components);
    }

    /**
     * Stops the application, then closes the components, when the JVM is told to end (SIGTERM, say); the log
     * is held open until both are done, so that every line of the shutdown is written.
     */
    static void stopOnShutdown(Application application, Components components) {
        if (!LogsClosedLast.holdOpen()) {
            LOG.warning("The logging manager is not " + LogsClosedLast.class.getName() + " (" + LogsClosedLast.PROPERTY
                    + "): the lines logged while stopping may be lost");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                LOG.info("agentchat is stopping");
                // The application first: its last runs still write to the stores the components close.
                try {
                    application.close();
                } finally {
                    components.close();
                }
                LOG.info("agentchat has stopped");
            } finally {
                LogsClosedLast.release();
            }
        }, "agentchat-shutdown"));
    }

    /**
     * Picks the adapters: Cosmos DB stores when an account is configured, else memory; a real model when
     * one is configured, else the offline demo model. What was picked is logged. The clients opened are
     * owned by the components built from the answer.
     */
    static Components.Builder chooseComponents(Settings settings) {
        return chooseComponents(settings, ServiceTelemetry.from(settings));
    }

    /** As {@link #chooseComponents(Settings)}, watched by {@code telemetry}, which the components own (closed on failure). */
    static Components.Builder chooseComponents(Settings settings, ServiceTelemetry telemetry) {
        try {
            return chooseAdapters(settings, telemetry);
        } catch (RuntimeException e) {
            telemetry.close();   // closing twice, when the components own it already, does nothing more
            throw e;
        }
    }

    private static Components.Builder chooseAdapters(Settings settings, ServiceTelemetry telemetry) {
        // All settings are read before any client is opened, so that a mistake in one opens nothing.
        Optional<CosmosSettings> cosmos = CosmosSettings.from(settings.values()::get);
        Optional<OidcSettings> issuers = TokenIssuers.from(settings.values());
        Optional<AzureOpenAiSettings> model;
        try {
            model = AzureOpenAiSettings.from(settings.values()::get);
        } catch (IllegalArgumentException e) {
            throw new Settings.InvalidSettings(e.getMessage());
        }
        McpServers mcpServers = mcpServers(settings);
        // The tool servers first: the agents seeded below may list their tools, and are checked against them.
        Components.Builder components;
        if (mcpServers.servers().isEmpty()) {
            components = Components.embedded(settings, BuiltInTools.all(java.time.Clock.systemUTC()), telemetry);
        } else {
            LOG.info("Tools also come from the MCP servers " + mcpServers.servers().stream().map(McpServer::name).toList()
                    + " (connected in the background; /health says which answer)");
            McpTools mcp = McpTools.connect(mcpServers, Clock.system()).watchedBy(telemetry.telemetry());
            // Seeding checks a SERVER/TOOL entry for its server only: the tool is checked once the server lists its tools.
            mcp.whenListed(listed -> AgentSeeding.warnOfToolsNotListed(settings.agents(), listed.server(), listed.tools()));
            try {
                components = Components.embedded(settings,
                        ToolRuntimes.combined(List.of(BuiltInTools.all(java.time.Clock.systemUTC()), mcp)), telemetry).owning(mcp);
            } catch (RuntimeException e) {
                mcp.close();
                throw e;
            }
        }
        try {
            if (cosmos.isPresent()) {
                LOG.info("Conversations are kept in Cosmos DB: " + cosmos.get());
                CosmosStores stores = CosmosStores.connect(cosmos.get()).watchedBy(components.telemetry().telemetry());
                components.owning(stores).requires(stores.reachability())
                        .threads(stores.threads()).messages(stores.messages()).runs(stores.runs()).steps(stores.steps())
                        .events(stores.events()).idempotencyKeys(stores.idempotencyKeys())
                        .agents(stores.agents(), settings);
            }
            if (issuers.isPresent()) {
                LOG.info("Access tokens are taken from " + issuers.get().issuers().stream()
                        .map(OidcSettings.TrustedIssuer::issuer).toList());
                OidcTokenVerifier tokens = new OidcTokenVerifier(issuers.get(), Clock.system());
                components.owning(tokens).tokens(tokens);
            }
            if (model.isPresent()) {
                LOG.info("Answers come from " + model.get() + " through " + settings.modelClient().setting());
                return withModel(components, settings.modelClient(), model.get());
            }
        } catch (RuntimeException e) {
            // Seeding the agents or opening the model failed: the clients opened before it are closed here.
            components.build().close();
            throw e;
        }
        LOG.info((cosmos.isPresent() ? "" : "Conversations are kept in memory (nothing survives a restart). ")
                + "Answers come from the offline demo model (no language model: it says so in every answer); "
                + "the built-in tools are on.");
        return components;
    }

    /** Answers from the model the settings name, asked through {@code client}; the components own it. */
    static Components.Builder withModel(Components.Builder components, Settings.ModelClient client, AzureOpenAiSettings model) {
        return switch (client) {
            case AZURE_AI_OPENAI -> {
                AzureOpenAiChatModel chosen = AzureOpenAiChatModel.create(model);
                yield components.owning(chosen).model(chosen);
            }
            case OPENAI_JAVA -> {
                OpenAiJavaChatModel chosen = OpenAiJavaChatModel.create(openAiJava(model));
                yield components.owning(chosen).model(chosen);
            }
        };
    }

    /**
     * The model settings, read and checked once by {@link AzureOpenAiSettings#from}, for the openai-java
     * adapter: the same service, key, retries and timeout, whichever client asks.
     */
    static OpenAiJavaSettings openAiJava(AzureOpenAiSettings model) {
        return new OpenAiJavaSettings(model.endpoint(), model.apiVersion(), model.deployment(), model.apiKey(),
                switch (model.service()) {
                    case AZURE_OPENAI -> OpenAiJavaSettings.Dialect.AZURE_OPENAI;
                    case OPENAI_COMPATIBLE -> OpenAiJavaSettings.Dialect.OPENAI_COMPATIBLE;
                },
                new OpenAiJavaSettings.Retries(model.retries().maxRetries(), model.retries().baseDelay(),
                        model.retries().maxDelay()),
                model.readTimeout());
    }

    /** The MCP servers {@code MCP_SERVERS_FILE} names, their {@code ${VAR}}s read from the environment; none when unset. */
    private static McpServers mcpServers(Settings settings) {
        Optional<String> file = settings.values().get("MCP_SERVERS_FILE");
        if (file.isEmpty()) {
            return McpServers.none();
        }
        try {
            return McpServers.read(Path.of(file.get()), System.getenv());
        } catch (IllegalArgumentException e) {
            throw new Settings.InvalidSettings("MCP_SERVERS_FILE: " + e.getMessage());
        }
    }

    /**
     * Configures the root logger from {@code logging.properties} and the settings: its level, and, with
     * {@code LOG_FORMAT=json}, JSON lines carrying the ids {@code logs} knows of the work in scope.
     */
    static void configureLogging(Settings settings, LogContext logs) {
        try (InputStream config = Main.class.getResourceAsStream("/logging.properties")) {
            if (config != null) {
                LogManager.getLogManager().readConfiguration(config);
            }
        } catch (IOException e) {
            System.err.println("agentchat: cannot read the logging configuration: " + e.getMessage());
        }
        Logger root = Logger.getLogger("");
        root.setLevel(settings.logLevel());
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(settings.logLevel());
            if (settings.logFormat() == LogFormat.JSON) {
                handler.setFormatter(new JsonLogFormatter(logs));
            }
        }
    }
}
