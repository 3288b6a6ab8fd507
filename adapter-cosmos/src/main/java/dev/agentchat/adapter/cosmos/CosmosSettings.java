package dev.agentchat.adapter.cosmos;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the stores live in Cosmos DB.
 *
 * @param key              the account key; without one, Entra ID (azure-identity's DefaultAzureCredential)
 * @param createIfMissing  whether to create the database and containers when they are missing
 * @param throttleRetries  how often a throttled (429) request is retried by the SDK before the store gives up
 * @param throttleWait     the longest the SDK waits, in all, on the retries of one throttled request
 */
public record CosmosSettings(String endpoint, Optional<String> key, String database, boolean createIfMissing,
                             int throttleRetries, Duration throttleWait) {
    public static final String DEFAULT_DATABASE = "agent-demo";

    /** Never shows the key: settings end up in logs. */
    @Override
    public String toString() {
        return "CosmosSettings[endpoint=" + endpoint + ", key=" + (key.isPresent() ? "(set)" : "(none: Entra ID)")
                + ", database=" + database + ", createIfMissing=" + createIfMissing + "]";
    }

    /**
     * Reads {@code COSMOS_ENDPOINT}, {@code COSMOS_KEY}, {@code COSMOS_DATABASE_NAME} and
     * {@code COSMOS_CREATE_IF_MISSING}; empty when no endpoint is set.
     */
    public static Optional<CosmosSettings> from(Function<String, Optional<String>> setting) {
        return setting.apply("COSMOS_ENDPOINT").map(String::strip).filter(endpoint -> !endpoint.isEmpty())
                .map(endpoint -> new CosmosSettings(endpoint,
                        setting.apply("COSMOS_KEY").map(String::strip).filter(key -> !key.isEmpty()),
                        setting.apply("COSMOS_DATABASE_NAME").map(String::strip).filter(name -> !name.isEmpty()).orElse(DEFAULT_DATABASE),
                        !setting.apply("COSMOS_CREATE_IF_MISSING").map(String::strip).filter("false"::equalsIgnoreCase).isPresent(),
                        // Bounded so that a throttled turn fails (cleanly, as a store error) within seconds, not minutes.
                        5, Duration.ofSeconds(15)));
    }
}
