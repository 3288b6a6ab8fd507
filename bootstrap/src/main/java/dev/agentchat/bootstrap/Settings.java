package dev.agentchat.bootstrap;

import dev.agentchat.bootstrap.logging.LogFormat;
import dev.agentchat.domain.usage.Price;
import dev.agentchat.domain.usage.PriceTable;
import dev.agentchat.ports.chat.ChatSettings;
import dev.agentchat.ports.run.RunSettings;
import dev.agentchat.domain.agent.Agent;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.regex.Pattern;

/**
 * The service's configuration. Each setting is read from the environment variable of its name, else
 * from the optional configuration file (a properties file with the same names, named by
 * {@code AGENTCHAT_CONFIG} or {@code --config PATH}), else its default.
 *
 * @param logFormat          how log records are written ({@code LOG_FORMAT}: {@code text}, or {@code json} for a log shipper)
 * @param accessLog          whether a line is logged per request ({@code ACCESS_LOG}: {@code on} or {@code off})
 * @param requestReadTimeout the longest a read from a client may wait (the rest of a request, or the next one)
 * @param maxConnections     the most client connections served at once
 * @param demoModelDelay     the pause before each word of the offline demo model
 * @param webClientId        the app registration browsers sign in as ({@code WEB_CLIENT_ID}), when it is not the API's
 * @param webScopes          the scopes browsers ask their access tokens for ({@code WEB_SCOPES}); empty: the defaults
 *                           of the issuer
 * @param modelClient        the client library that asks a configured model ({@code OPENAI_CLIENT})
 * @param drainTime          how long the runs in flight get to finish at shutdown before they are ended
 *                           ({@code DRAIN_SECONDS})
 * @param values             every setting by name, as read, for the adapters that read their own
 */
public record Settings(
        String host,
        int port,
        Level logLevel,
        LogFormat logFormat,
        boolean accessLog,
        Duration heartbeatInterval,
        int maxRequestBytes,
        Duration requestReadTimeout,
        int maxConnections,
        Duration demoModelDelay,
        ChatSettings chat,
        RunSettings runs,
        Optional<Path> configFile,
        List<Agent> agents,
        boolean overwriteSeededAgents,
        Optional<String> webClientId,
        List<String> webScopes,
        ModelClient modelClient,
        Duration drainTime,
        Values values) {

    public static final String CONFIG_FILE_VARIABLE = "AGENTCHAT_CONFIG";

    /** The client library of the model adapter, by its {@code OPENAI_CLIENT} name. */
    public enum ModelClient {
        /** azure-ai-openai over azure-core and Reactor Netty: the default until measurement decides. */
        AZURE_AI_OPENAI("azure-ai-openai"),
        /** openai-java over OkHttp, the answer read on the run's own thread. */
        OPENAI_JAVA("openai-java");

        private final String setting;

        ModelClient(String setting) {
            this.setting = setting;
        }

        static ModelClient named(String setting) {
            for (ModelClient client : values()) {
                if (client.setting.equals(setting)) {
                    return client;
                }
            }
            throw new IllegalArgumentException(setting);
        }

        /** The value of {@code OPENAI_CLIENT} that chooses it. */
        public String setting() {
            return setting;
        }
    }

    /**
     * Settings for tests: loopback, any free port, quick heartbeats, a demo model without delay, and no drain
     * at stopping (the runs still going are ended at once).
     */
    public static Settings forTests() {
        return forTests(Map.of());
    }

    /** Settings for tests, with some more. */
    public static Settings forTests(Map<String, String> more) {
        Map<String, String> values = new HashMap<>(Map.of("API_HOST", "127.0.0.1", "API_PORT", "0",
                "HEARTBEAT_INTERVAL_SECONDS", "1", "DEMO_MODEL_DELAY_MS", "0", "DRAIN_SECONDS", "0"));
        values.putAll(more);
        return load(values, new String[0]);
    }

    /**
     * Reads the settings.
     *
     * @throws InvalidSettings naming the setting and what is wrong with it
     */
    public static Settings load(Map<String, String> environment, String[] args) {
        Optional<Path> file = configFile(environment, args);
        Map<String, String> values = new HashMap<>();
        file.ifPresent(path -> values.putAll(readFile(path)));
        environment.forEach((name, value) -> {
            if (!value.isBlank()) {
                values.put(name, value);
            }
        });
        Source source = new Source(values);
        // Read by the authentication and the browsers' sign-in; checked here, as a scope no token can grant is a mistake.
        source.scope("AUTH_REQUIRED_SCOPE");
        Optional<String> webClientId = source.clientId("WEB_CLIENT_ID");
        List<String> webScopes = source.scopes("WEB_SCOPES");
        if ((webClientId.isPresent() || !webScopes.isEmpty()) && source.optional("AZURE_TENANT_ID").isEmpty()
                && source.optional("AUTH_ISSUER").isEmpty()) {
            throw new InvalidSettings("WEB_CLIENT_ID and WEB_SCOPES say how browsers sign in with AZURE_TENANT_ID or "
                    + "AUTH_ISSUER, and neither is set");
        }
        Optional<String> issuer = source.optional("AUTH_ISSUER");
        if (issuer.isPresent() && source.optional("AZURE_TENANT_ID").isEmpty()) {
            // Only Entra ID has a registration to fall back on; another issuer's browsers would ask for scopes as nobody.
            if (webClientId.isEmpty() && !webScopes.isEmpty()) {
                throw new InvalidSettings("WEB_SCOPES needs WEB_CLIENT_ID with AUTH_ISSUER: browsers sign in there only as "
                        + "the client WEB_CLIENT_ID names");
            }
            // MSAL refuses an authority that is not https, loopback included, so every browser would fail to sign in.
            if (webClientId.isPresent() && !issuer.get().regionMatches(true, 0, "https://", 0, 8)) {
                throw new InvalidSettings("WEB_CLIENT_ID: browsers sign in only with an https AUTH_ISSUER, and it is "
                        + issuer.get());
            }
        }
        ChatSettings chat = new ChatSettings(source.integer("MAX_MODEL_CALLS", ChatSettings.DEFAULT_MAX_MODEL_CALLS, 1, 100),
                Duration.ofSeconds(source.integer("TOOL_TIMEOUT_SECONDS", 30, 1, 3_600)),
                source.prices("MODEL_PRICES"))
                .withMaxActiveRunsPerUser(source.integer("MAX_ACTIVE_RUNS_PER_USER",
                        ChatSettings.DEFAULT_MAX_ACTIVE_RUNS_PER_USER, 1, 1_000))
                .withApprovalTimeout(Duration.ofSeconds(source.integer("APPROVAL_TIMEOUT_SECONDS",
                        (int) ChatSettings.DEFAULT_APPROVAL_TIMEOUT.toSeconds(), 1, 7 * 86_400)));
        RunSettings runs = new RunSettings(
                Duration.ofSeconds(source.integer("MAX_RUN_SECONDS", 600, 1, 86_400)),
                Duration.ofSeconds(source.integer("MODEL_IDLE_TIMEOUT_SECONDS", 60, 1, 3_600)),
                source.choice("DISCONNECT_POLICY", "continue", "cancel").equals("cancel")
                        ? RunSettings.DisconnectPolicy.CANCEL : RunSettings.DisconnectPolicy.CONTINUE,
                Duration.ofSeconds(source.integer("DISCONNECT_GRACE_SECONDS", 5, 0, 3_600)),
                Duration.ofSeconds(source.integer("EVENT_RETENTION_SECONDS", 3_600, 1, 30 * 86_400)),
                Duration.ofMillis(source.integer("EVENT_FLUSH_MS", 250, 10, 60_000)),
                Duration.ofMillis(source.integer("CANCEL_CHECK_MS", 2_000, 10, 600_000)),
                Duration.ofSeconds(source.integer("ABANDONED_RUN_GRACE_SECONDS", 60, 1, 86_400)),
                Duration.ofSeconds(source.integer("IDEMPOTENCY_WINDOW_SECONDS", 3_600, 1, 30 * 86_400)));
        // A run's events before its pause must still be kept when it goes on, or a client that joins the
        // resumed run misses them, and whoever resumes it waits for them in vain.
        if (chat.approvalTimeout().compareTo(runs.eventRetention()) > 0) {
            throw new InvalidSettings("APPROVAL_TIMEOUT_SECONDS (" + chat.approvalTimeout().toSeconds()
                    + ") must not exceed EVENT_RETENTION_SECONDS (" + runs.eventRetention().toSeconds()
                    + "): a run's events must be kept for as long as it may wait for approval");
        }
        return new Settings(
                source.text("API_HOST", "0.0.0.0"),
                source.integer("API_PORT", 8000, 0, 65_535),
                source.logLevel("LOG_LEVEL", Level.INFO),
                LogFormat.named(source.choice("LOG_FORMAT", LogFormat.TEXT.setting(), LogFormat.JSON.setting())),
                source.choice("ACCESS_LOG", "on", "off").equals("on"),
                Duration.ofSeconds(source.integer("HEARTBEAT_INTERVAL_SECONDS", 15, 1, 3_600)),
                source.integer("MAX_REQUEST_BYTES", 256 * 1024, 1024, 16 * 1024 * 1024),
                Duration.ofSeconds(source.integer("REQUEST_READ_TIMEOUT_SECONDS", 30, 1, 3_600)),
                source.integer("MAX_CONNECTIONS", 20_000, 1, 1_000_000),
                Duration.ofMillis(source.integer("DEMO_MODEL_DELAY_MS", 40, 0, 10_000)),
                chat,
                runs,
                file,
                AgentsFile.read(source.optional("AGENTS_FILE").map(Path::of)),
                source.choice("AGENTS_SEED", "missing", "overwrite").equals("overwrite"),
                webClientId,
                webScopes,
                ModelClient.named(source.choice("OPENAI_CLIENT", ModelClient.AZURE_AI_OPENAI.setting(),
                        ModelClient.OPENAI_JAVA.setting())),
                Duration.ofSeconds(source.integer("DRAIN_SECONDS", 10, 0, 3_600)),
                new Values(values));
    }

    private static Optional<Path> configFile(Map<String, String> environment, String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config")) {
                if (i + 1 == args.length) {
                    throw new InvalidSettings("--config needs a file path after it");
                }
                return Optional.of(Path.of(args[i + 1]));
            }
            if (args[i].startsWith("--config=")) {
                return Optional.of(Path.of(args[i].substring("--config=".length())));
            }
        }
        return Optional.ofNullable(environment.get(CONFIG_FILE_VARIABLE)).filter(v -> !v.isBlank()).map(Path::of);
    }

    private static Map<String, String> readFile(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new InvalidSettings("cannot read the configuration file " + path + ": " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).strip()));
        return values;
    }

    /** Every setting as read, by name. Its text never shows a value: some are keys. */
    public static final class Values {
        private final Map<String, String> byName;

        Values(Map<String, String> byName) {
            this.byName = Map.copyOf(byName);
        }

        public Optional<String> get(String name) {
            return Optional.ofNullable(byName.get(name)).map(String::strip).filter(value -> !value.isEmpty());
        }

        /** Every setting by name, as given: for a library that reads its own settings ({@code OTEL_*}). */
        public Map<String, String> asMap() {
            return byName;
        }

        @Override
        public String toString() {
            return "Values[" + byName.size() + " settings]";
        }
    }

    /** A setting that cannot be used; the message names it. */
    public static final class InvalidSettings extends RuntimeException {
        public InvalidSettings(String message) {
            super(message);
        }
    }

    private record Source(Map<String, String> values) {
        private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,512}");
        private static final Pattern CLIENT_ID = Pattern.compile("[\\x21\\x23-\\x2B\\x2D-\\x5B\\x5D-\\x7E]{1,256}");

        String text(String name, String fallback) {
            return optional(name).orElse(fallback);
        }

        Optional<String> optional(String name) {
            return Optional.ofNullable(values.get(name)).map(String::strip).filter(value -> !value.isEmpty());
        }

        int integer(String name, int fallback, int min, int max) {
            Optional<String> value = optional(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int number = Integer.parseInt(value.get());
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidSettings(name + " must be a whole number from " + min + " to " + max + ", was '" + value.get() + "'");
        }

        /** {@code model=input/output;...}: US dollars per million prompt and completion tokens. */
        PriceTable prices(String name) {
            Optional<String> value = optional(name);
            if (value.isEmpty()) {
                return PriceTable.EMPTY;
            }
            Map<String, Price> prices = new HashMap<>();
            for (String entry : value.get().split("[;,]")) {
                if (entry.isBlank()) {
                    continue;
                }
                String[] modelAndPrices = entry.split("=", 2);
                String[] inOut = modelAndPrices.length == 2 ? modelAndPrices[1].split("/", 2) : new String[0];
                try {
                    if (inOut.length != 2 || modelAndPrices[0].isBlank()) {
                        throw new NumberFormatException();
                    }
                    prices.put(modelAndPrices[0].strip(), new Price(new BigDecimal(inOut[0].strip()), new BigDecimal(inOut[1].strip())));
                } catch (IllegalArgumentException e) {
                    throw new InvalidSettings(name + " must read like 'gpt-4o=2.50/10.00;gpt-4o-mini=0.15/0.60' "
                            + "(US dollars per million input/output tokens), was '" + entry.strip() + "'");
                }
            }
            return new PriceTable(prices);
        }

        /** An OAuth scope (RFC 6749's scope-token): visible characters but the quote and the backslash. */
        Optional<String> scope(String name) {
            return matching(name, SCOPE, "one scope (visible characters, no blanks, quotes or backslashes)");
        }

        /** Scopes separated by blanks or commas; none when unset. */
        List<String> scopes(String name) {
            Optional<String> value = optional(name);
            if (value.isEmpty()) {
                return List.of();
            }
            List<String> scopes = java.util.Arrays.stream(value.get().split("[\\s,]+")).filter(scope -> !scope.isEmpty())
                    .distinct().toList();
            if (scopes.isEmpty() || scopes.size() > 32 || scopes.stream().anyMatch(scope -> !SCOPE.matcher(scope).matches())) {
                throw new InvalidSettings(name + " must be 1 to 32 scopes separated by blanks or commas (each visible "
                        + "characters, no quotes or backslashes), was '" + value.get() + "'");
            }
            return scopes;
        }

        /** An OAuth client id: visible characters, none that a list or a header would mistake. */
        Optional<String> clientId(String name) {
            return matching(name, CLIENT_ID, "a client id (1 to 256 visible characters, no blanks, quotes, commas or "
                    + "backslashes)");
        }

        private Optional<String> matching(String name, Pattern pattern, String what) {
            Optional<String> value = optional(name);
            value.filter(text -> !pattern.matcher(text).matches()).ifPresent(text -> {
                throw new InvalidSettings(name + " must be " + what + ", was '" + text + "'");
            });
            return value;
        }

        /** One of the choices, the first by default. */
        String choice(String name, String... choices) {
            String value = text(name, choices[0]);
            if (!java.util.Arrays.asList(choices).contains(value)) {
                throw new InvalidSettings(name + " must be one of " + String.join(", ", choices) + ", was '" + value + "'");
            }
            return value;
        }

        Level logLevel(String name, Level fallback) {
            Optional<String> value = optional(name);
            if (value.isEmpty()) {
                return fallback;
            }
            return switch (value.get().toUpperCase(java.util.Locale.ROOT)) {
                case "TRACE", "FINEST" -> Level.FINEST;
                case "DEBUG", "FINE" -> Level.FINE;
                case "INFO" -> Level.INFO;
                case "WARN", "WARNING" -> Level.WARNING;
                case "ERROR", "CRITICAL", "SEVERE" -> Level.SEVERE;
                case "OFF" -> Level.OFF;
                default -> throw new InvalidSettings(name + " must be one of DEBUG, INFO, WARNING, ERROR (or TRACE, OFF), was '" + value.get() + "'");
            };
        }
    }
}
