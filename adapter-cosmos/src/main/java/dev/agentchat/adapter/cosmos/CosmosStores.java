package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.ThrottlingRetryOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.models.CompositePath;
import com.azure.cosmos.models.CompositePathSortOrder;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.ExcludedPath;
import com.azure.cosmos.models.IncludedPath;
import com.azure.cosmos.models.IndexingPolicy;
import dev.agentchat.ports.chat.IdempotencyKeys;
import dev.agentchat.ports.health.RequiredDependency;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.time.Clock;
import java.util.List;

/**
 * The containers of the stores, created when missing.
 *
 * <p>Layout: {@code threads}, partitioned by {@code /scope} (agent and user): listing an agent's
 * threads for a user reads one partition. {@code turns}, partitioned by {@code /threadId}: the
 * messages, runs and steps of one thread live in one logical partition, so a turn's writes and a
 * thread's history never fan out; a run's events are kept there too, in batches. {@code agents},
 * partitioned by {@code /id}: a chat's lookup of its agent is a point read. Idempotency keys live in
 * {@code threads}, beside the threads of the same agent and user.
 *
 * <p>{@code threads} and {@code turns} have time to live switched on without a default ({@code -1}):
 * documents live for ever unless they carry their own {@code ttl}, as event batches and idempotency
 * keys do, so that Cosmos DB purges them once they are no longer wanted.
 *
 * <p>The stores own the client they were opened on: {@link #close()} closes it (its connections, its
 * background tasks), once nothing uses the stores any more.
 */
public final class CosmosStores implements AutoCloseable {
    static final String THREADS = "threads";
    static final String TURNS = "turns";
    static final String AGENTS = "agents";
    /** A container's default time to live that lets each document set its own and keeps the others. */
    private static final int TTL_PER_ITEM = -1;
    private static final String EVENTS_PATH = "/events/*";

    private final CosmosClient client;
    private final CosmosContainer threads;
    private final CosmosContainer turns;
    private final CosmosContainer agents;
    private final RequestCharges charges = new RequestCharges();

    private CosmosStores(CosmosClient client, CosmosContainer threads, CosmosContainer turns, CosmosContainer agents) {
        this.client = client;
        this.threads = threads;
        this.turns = turns;
        this.agents = agents;
    }

    /** The request units and writes of every store made here. */
    public RequestCharges charges() {
        return charges;
    }

    /** Connects to the account the settings name, in gateway mode, with the throttling retries they set. */
    public static CosmosStores connect(CosmosSettings settings) {
        CosmosClientBuilder builder = new CosmosClientBuilder().endpoint(settings.endpoint())
                // Gateway mode: one HTTPS port, which proxies and firewalls let through; direct mode is faster
                // but needs a range of TCP ports open to the account.
                .gatewayMode()
                .throttlingRetryOptions(new ThrottlingRetryOptions()
                        .setMaxRetryAttemptsOnThrottledRequests(settings.throttleRetries())
                        .setMaxRetryWaitTime(settings.throttleWait()));
        builder = settings.key().isPresent() ? builder.key(settings.key().get())
                : builder.credential(new DefaultAzureCredentialBuilder().build());
        CosmosClient client = builder.buildClient();
        try {
            return settings.createIfMissing() ? open(client, settings.database())
                    : new CosmosStores(client, client.getDatabase(settings.database()).getContainer(THREADS),
                            client.getDatabase(settings.database()).getContainer(TURNS),
                            client.getDatabase(settings.database()).getContainer(AGENTS));
        } catch (RuntimeException e) {
            // No stores to own it: the client's threads would outlive the failed start.
            client.close();
            throw e;
        }
    }

    /**
     * The stores in {@code databaseName}, creating the database and containers when they are missing;
     * closing them closes {@code client}.
     */
    public static CosmosStores open(CosmosClient client, String databaseName) {
        return CosmosErrors.call("creating database " + databaseName, () -> {
            client.createDatabaseIfNotExists(databaseName);
            CosmosDatabase database = client.getDatabase(databaseName);
            CosmosContainerProperties threadProps = new CosmosContainerProperties(THREADS, "/scope");
            // Listing sorts by two fields, which Cosmos DB serves only with a composite index.
            IndexingPolicy listing = new IndexingPolicy();
            listing.setCompositeIndexes(List.of(List.of(
                    new CompositePath().setPath("/updatedAt").setOrder(CompositePathSortOrder.DESCENDING),
                    new CompositePath().setPath("/id").setOrder(CompositePathSortOrder.ASCENDING))));
            threadProps.setIndexingPolicy(listing);
            threadProps.setDefaultTimeToLiveInSeconds(TTL_PER_ITEM);
            database.createContainerIfNotExists(threadProps);
            CosmosContainerProperties turnProps = new CosmosContainerProperties(TURNS, "/threadId");
            IndexingPolicy turnOrder = new IndexingPolicy();
            turnOrder.setCompositeIndexes(List.of(ascending("/createdAt", "/id"), ascending("/startedAt", "/id")));
            // Events are read by their batch's fields only; indexing every token's text would make each
            // batch write cost request units for nothing.
            turnOrder.setIncludedPaths(List.of(new IncludedPath("/*")));
            turnOrder.setExcludedPaths(List.of(new ExcludedPath(EVENTS_PATH)));
            turnProps.setIndexingPolicy(turnOrder);
            turnProps.setDefaultTimeToLiveInSeconds(TTL_PER_ITEM);
            database.createContainerIfNotExists(turnProps);
            database.createContainerIfNotExists(new CosmosContainerProperties(AGENTS, "/id"));
            // Containers made before event batches and idempotency keys have time to live off, and
            // createContainerIfNotExists leaves an existing container as it is.
            switchOnTimeToLive(database.getContainer(THREADS));
            switchOnTimeToLive(database.getContainer(TURNS));
            return new CosmosStores(client, database.getContainer(THREADS), database.getContainer(TURNS), database.getContainer(AGENTS));
        });
    }

    /**
     * Turns on per-item time to live in a container that has it off. Without it, Cosmos DB ignores the
     * documents' {@code ttl}, as do servers that implement no time to live at all (some emulators):
     * nothing breaks then, since the reads filter out what has expired by the caller's clock
     * ({@code keepUntil}, {@code expiresAt}); only the purge does not happen. Setting -1 expires nothing
     * that has no {@code ttl} of its own.
     */
    private static void switchOnTimeToLive(CosmosContainer container) {
        CosmosContainerProperties properties = container.read().getProperties();
        if (properties.getDefaultTimeToLiveInSeconds() == null) {
            container.replace(properties.setDefaultTimeToLiveInSeconds(TTL_PER_ITEM));
        }
    }

    private static List<CompositePath> ascending(String... paths) {
        return java.util.Arrays.stream(paths)
                .map(path -> new CompositePath().setPath(path).setOrder(CompositePathSortOrder.ASCENDING)).toList();
    }

    /** Watches every operation of the stores made here through {@code telemetry} from now on. */
    public CosmosStores watchedBy(Telemetry telemetry) {
        charges.watchedBy(telemetry);
        return this;
    }

    /**
     * Whether the account answers now, for readiness: a read of the threads container's properties, kept for
     * 5 s and waited for at most 2 s (see {@link CosmosReachability}).
     */
    public RequiredDependency reachability() {
        return reachability(CosmosReachability.FRESH);
    }

    /** As {@link #reachability()}, an answer kept for {@code fresh}. */
    RequiredDependency reachability(java.time.Duration fresh) {
        return new CosmosReachability(() -> threads.read(), Clock.system(), fresh, CosmosReachability.PATIENCE);
    }

    /** Closes the client; the stores made here fail from then on. Closing twice does nothing more. */
    @Override
    public void close() {
        client.close();
    }

    public CosmosThreadStore threads() {
        return new CosmosThreadStore(threads, charges);
    }

    public CosmosMessageStore messages() {
        return new CosmosMessageStore(turns, charges);
    }

    public CosmosAgentStore agents() {
        return new CosmosAgentStore(agents, charges);
    }

    public CosmosRunStore runs() {
        return new CosmosRunStore(turns, charges);
    }

    public CosmosStepStore steps() {
        return new CosmosStepStore(turns, charges);
    }

    public EventLog events() {
        return new CosmosEventLog(turns, charges, Clock.system());
    }

    public IdempotencyKeys idempotencyKeys() {
        return new CosmosIdempotencyKeys(threads, charges, Clock.system());
    }
}
