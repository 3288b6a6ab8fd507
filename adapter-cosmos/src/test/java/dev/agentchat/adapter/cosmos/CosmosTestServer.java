package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Cosmos DB the tests run against, one per test JVM: a real account or the official emulator when
 * {@code AGENTCHAT_TEST_COSMOS_ENDPOINT} (and {@code AGENTCHAT_TEST_COSMOS_KEY}) name one; otherwise
 * the local server in {@code src/test/cosmos-server} (@vercel/cosmosdb-server with the patches the
 * Java SDK needs), installed with npm and started here. A missing prerequisite fails the tests with a
 * clear message: they are never skipped.
 */
public final class CosmosTestServer {
    /** The launcher's folder, from this module's tests or from another module's (the bootstrap's) beside it. */
    private static final Path SERVER_DIR = Files.isDirectory(Path.of("src", "test", "cosmos-server"))
            ? Path.of("src", "test", "cosmos-server") : Path.of("..", "adapter-cosmos", "src", "test", "cosmos-server");
    /** The local server's well-known key: it checks none, but the SDK wants a base64 key. */
    private static final String LOCAL_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static CosmosStores stores;
    private static String endpoint;
    private static String key;

    private CosmosTestServer() {
    }

    /** Stores in a database of this test run's own, so runs never see each other's data. */
    public static synchronized CosmosStores stores() {
        if (stores == null) {
            stores = CosmosStores.open(new CosmosClientBuilder().endpoint(endpoint()).key(key()).gatewayMode()
                    .endpointDiscoveryEnabled(false).consistencyLevel(ConsistencyLevel.SESSION).buildClient(),
                    "agentchat-test-" + UUID.randomUUID());
        }
        return stores;
    }

    /** The endpoint of the Cosmos DB the tests use, started on first use. */
    public static synchronized String endpoint() {
        if (endpoint == null) {
            endpoint = System.getenv("AGENTCHAT_TEST_COSMOS_ENDPOINT");
            key = System.getenv("AGENTCHAT_TEST_COSMOS_KEY");
            if (endpoint == null || endpoint.isBlank()) {
                endpoint = "https://127.0.0.1:" + startLocalServer();
                key = LOCAL_KEY;
                // Test only: azure-cosmos accepts the local server's self-signed certificate for loopback endpoints.
                System.setProperty("COSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED", "true");
            }
        }
        return endpoint;
    }

    /** The key of a local server. */
    public static String localKey() {
        return LOCAL_KEY;
    }

    public static synchronized String key() {
        endpoint();
        return key;
    }

    private static int startLocalServer() {
        LocalServer server = startLocal();
        Runtime.getRuntime().addShutdownHook(new Thread(server.process()::destroy, "cosmos-test-server-stop"));
        return server.port();
    }

    /** A local server of its own, for a test that stops it; its endpoint takes the shared key. */
    public record LocalServer(Process process, int port) implements AutoCloseable {
        public String endpoint() {
            return "https://127.0.0.1:" + port;
        }

        /** Stops the server and waits until it has gone. */
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts a local server (installing it first if need be) and waits for its port. */
    public static LocalServer startLocal() {
        try {
            String version = run("node", "--version");
            if (Integer.parseInt(version.replaceAll("^v(\\d+).*", "$1")) < 20) {
                throw new IllegalStateException("The Cosmos DB tests need Node.js 20 or newer on the PATH, found " + version);
            }
            if (!Files.isDirectory(SERVER_DIR.resolve("node_modules/@vercel/cosmosdb-server"))) {
                run("npm", "ci", "--no-audit", "--no-fund");
            }
            Process server = new ProcessBuilder("node", "launcher.js", "0", "--exit-on-stdin-close")
                    .directory(SERVER_DIR.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            // Test only: azure-cosmos accepts the local server's self-signed certificate for loopback endpoints.
            System.setProperty("COSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED", "true");
            return new LocalServer(server, port(server));
        } catch (IOException e) {
            throw new IllegalStateException("The Cosmos DB tests need Node.js 20 or newer and npm on the PATH (install "
                    + "them, e.g. apt-get install nodejs npm), or AGENTCHAT_TEST_COSMOS_ENDPOINT naming a Cosmos DB: " + e.getMessage(), e);
        }
    }

    private static int port(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        try (ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> line = reader.submit(out::readLine);
            String first = line.get(30, TimeUnit.SECONDS);
            if (first == null || !first.startsWith("COSMOS_PORT=")) {
                server.destroyForcibly();
                throw new IllegalStateException("The local Cosmos DB server did not start: " + first);
            }
            return Integer.parseInt(first.substring("COSMOS_PORT=".length()).strip());
        } catch (TimeoutException e) {
            server.destroyForcibly();
            throw new IllegalStateException("The local Cosmos DB server did not start within 30 s");
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            server.destroyForcibly();
            throw new IllegalStateException("The local Cosmos DB server did not start", e);
        }
    }

    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(SERVER_DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed in " + SERVER_DIR + ":\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " was interrupted", e);
        }
        return output.strip();
    }
}
