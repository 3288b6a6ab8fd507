package dev.agentchat.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Starts agentchat: reads the settings, picks the adapters, serves until stopped. */
public final class Main {
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
        configureLogging(settings);
        settings.configFile().ifPresent(file -> LOG.info("Configuration file: " + file));
        Components components = chooseComponents(settings);
        Application application = Application.start(settings, components);
        LOG.info("agentchat is listening on http://" + settings.host() + ":" + application.port()
                + " (API docs at /docs, health at /health)");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("agentchat is stopping");
            application.close();
        }, "agentchat-shutdown"));
    }

    /** Picks the adapters. Only the embedded default exists so far; configured back ends are reported, not ignored silently. */
    static Components chooseComponents(Settings settings) {
        settings.cosmosEndpoint().ifPresent(endpoint -> LOG.warning("COSMOS_ENDPOINT is set (" + endpoint
                + "), but this version has no Cosmos DB adapter yet: conversations are kept in memory and lost on restart."));
        settings.openAiEndpoint().ifPresent(endpoint -> LOG.warning("AZURE_OPENAI_ENDPOINT is set (" + endpoint
                + "), but this version has no Azure OpenAI adapter yet: answers come from the offline demo model."));
        LOG.info("Running on the embedded default: in-memory stores (nothing survives a restart) and the offline "
                + "demo model (no language model: it says so in every answer).");
        return Components.embedded(settings);
    }

    private static void configureLogging(Settings settings) {
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
        }
    }
}
