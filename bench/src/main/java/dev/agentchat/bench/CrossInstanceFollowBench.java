package dev.agentchat.bench;

import static dev.agentchat.bench.BenchedService.arg;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How late a client following a run on another instance gets each token: two service processes on one
 * Cosmos DB (the local test server of adapter-cosmos, {@code adapter-cosmos/src/test/cosmos-server}),
 * a chat on the first, and a client following its run on the second from its first event, which reads
 * what the first writes to the event log. The lag of a token is when it reached the follower minus when
 * it reached the chat's own client (each token is a {@link System#nanoTime} stamp of the model server's).
 * Prints one Markdown table.
 *
 * <pre>
 * CrossInstanceFollowBench TURNS CONCURRENT TOKENS GAP_MS [FLUSH_MS]
 * </pre>
 */
public final class CrossInstanceFollowBench {
    private static final String AGENT = "support-triage";
    private static final String BODY = "{\"message\":\"How do I restart my VM?\"}";
    private static final Path COSMOS_SERVER = Path.of("adapter-cosmos", "src", "test", "cosmos-server");
    /** The local server checks no key, but the SDK wants a base64 one. */
    private static final String LOCAL_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    /** How long the followers followed, in nanoseconds, added up. */
    private static final LongAdder followNanos = new LongAdder();

    private CrossInstanceFollowBench() {
    }

    /** How many store operations of each name the instance has made ({@code db_client_operation_duration_seconds_count}). */
    private static Map<String, Long> storeOperations(int port) throws IOException, InterruptedException {
        Map<String, Long> counts = new TreeMap<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Pattern line = Pattern.compile(
                    "^db_client_operation_duration_seconds_count\\{.*db_operation_name=\"([^\"]*)\".*\\} ([0-9.eE+]+)$");
            for (String text : metrics.split("\n")) {
                Matcher match = line.matcher(text);
                if (match.matches()) {
                    counts.merge(match.group(1), (long) Double.parseDouble(match.group(2)), Long::sum);
                }
            }
        }
        return counts;
    }

    public static void main(String[] args) throws Exception {
        int turns = Integer.parseInt(arg(args, 0, "60"));
        int concurrent = Integer.parseInt(arg(args, 1, "4"));
        int tokens = Integer.parseInt(arg(args, 2, "40"));
        int gapMillis = Integer.parseInt(arg(args, 3, "47"));
        int flushMillis = Integer.parseInt(arg(args, 4, "250"));
        BenchedService service = BenchedService.fromProperties();
        System.out.printf(Locale.ROOT, "%n### Following a run on another instance: token lag behind the chat's own client"
                + " (%d turns, %d at once, %d tokens %d ms apart, EVENT_FLUSH_MS %d, two instances on the local Cosmos DB"
                + " test server)%n%n", turns, concurrent, tokens, gapMillis, flushMillis);
        Process cosmos = startCosmos();
        try (ModelServer model = ModelServer.start()) {
            model.script(new ModelServer.Script(tokens, gapMillis));
            Map<String, String> env = environment(cosmosPort(cosmos), model, flushMillis);
            try (ServiceProcess running = start(service, env, "service-follow-a.log");
                 ServiceProcess following = start(service, env, "service-follow-b.log")) {
                Samples lag = new Samples();
                AtomicLong missing = new AtomicLong();
                List<String> errors = new ArrayList<>();
                // A first turn warms both JVMs up, and is not counted.
                turn(running.port(), following.port(), new Samples(), new AtomicLong(), errors);
                errors.clear();
                Map<String, Long> operationsBefore = storeOperations(following.port());
                long began = System.nanoTime();
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> all = new ArrayList<>();
                    for (int c = 0; c < concurrent; c++) {
                        int share = turns / concurrent + (c < turns % concurrent ? 1 : 0);
                        all.add(clients.submit(() -> {
                            for (int t = 0; t < share; t++) {
                                turn(running.port(), following.port(), lag, missing, errors);
                            }
                            return null;
                        }));
                    }
                    for (Future<?> each : all) {
                        each.get();
                    }
                }
                double seconds = (System.nanoTime() - began) / 1e9;
                Map<String, Long> operations = storeOperations(following.port());
                operationsBefore.forEach((name, count) -> operations.merge(name, -count, Long::sum));
                System.out.println("| tokens followed | p50 ms | p95 ms | p99 ms | max ms | tokens missing | errors | seconds |");
                System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %d | %d | %.0f |%n", lag.count(),
                        lag.percentileMicros(50) / 1e3, lag.percentileMicros(95) / 1e3, lag.percentileMicros(99) / 1e3,
                        lag.percentileMicros(100) / 1e3, missing.get(), errors.size(), seconds);
                if (!errors.isEmpty()) {
                    System.out.println("first errors: " + errors.subList(0, Math.min(5, errors.size())));
                }
                // What following costs the store: the following instance does nothing else. Per second of following.
                double followed = followNanos.sum() / 1e9;
                System.out.printf(Locale.ROOT, "%nStore operations of the following instance per second of following"
                        + " (%.0f s followed): %s%n", followed, operations.entrySet().stream().filter(e -> e.getValue() > 0)
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / followed))
                        .collect(Collectors.joining(", ")));
            }
        } finally {
            cosmos.destroy();
        }
        System.exit(0);
    }

    /**
     * One chat on the instance at {@code runningPort}, its run followed from the start on the one at
     * {@code followingPort}; each token's lag at the follower goes to {@code lag}.
     */
    private static void turn(int runningPort, int followingPort, Samples lag, AtomicLong missing, List<String> errors) {
        try (SseConnection chat = SseConnection.post(runningPort, "/api/agents/" + AGENT + "/chat", BODY)) {
            if (chat.status() != 200 || chat.runId() == null) {
                synchronized (errors) {
                    errors.add("chat status " + chat.status());
                }
                return;
            }
            Map<Long, Long> atTheChat = new ConcurrentHashMap<>();
            Map<Long, Long> atTheFollower = new ConcurrentHashMap<>();
            String events = "/api/agents/" + AGENT + "/threads/" + chat.threadId() + "/runs/" + chat.runId() + "/events";
            try (ExecutorService reader = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<String> follower = reader.submit(() -> {
                    long from = System.nanoTime();
                    try (SseConnection follow = SseConnection.get(followingPort, events)) {
                        return follow.status() == 200 ? read(follow, atTheFollower) : "follow status " + follow.status();
                    } finally {
                        followNanos.add(System.nanoTime() - from);
                    }
                });
                String chatEnd = read(chat, atTheChat);
                String followEnd = follower.get(60, TimeUnit.SECONDS);
                if (chatEnd != null || followEnd != null) {
                    synchronized (errors) {
                        errors.add(chatEnd != null ? chatEnd : followEnd);
                    }
                    return;
                }
            }
            for (Map.Entry<Long, Long> token : atTheChat.entrySet()) {
                Long followed = atTheFollower.get(token.getKey());
                if (followed == null) {
                    missing.incrementAndGet();
                } else {
                    lag.add(followed - token.getValue());
                }
            }
        } catch (Exception e) {
            synchronized (errors) {
                errors.add(e.toString());
            }
        }
    }

    /** Reads a stream to its {@code done}, each token's stamp with when it arrived; null, or what went wrong. */
    private static String read(SseConnection stream, Map<Long, Long> arrivals) throws IOException {
        ChatProtocol protocol = new ChatProtocol.Agentchat();
        for (String data = stream.nextData(); data != null; data = stream.nextData()) {
            long now = System.nanoTime();
            switch (protocol.read(data)) {
                case ChatProtocol.Text text -> Arrays.stream(text.text().strip().split("\\s+")).filter(s -> !s.isBlank())
                        .forEach(stamp -> arrivals.put(Long.parseLong(stamp), now));
                case ChatProtocol.Finished finished -> {
                    return null;
                }
                case ChatProtocol.Failed failed -> {
                    return failed.reason();
                }
                case ChatProtocol.Other other -> {
                    // not timed
                }
            }
        }
        return "stream ended before its end event";
    }

    private static Map<String, String> environment(int cosmosPort, ModelServer model, int flushMillis) {
        Map<String, String> env = new HashMap<>();
        env.put("LOG_LEVEL", "WARNING");
        env.put("OPENAI_BASE_URL", model.baseUrl());
        env.put("OPENAI_API_KEY", "bench-key");
        env.put("OPENAI_MODEL", "bench");
        env.put("COSMOS_ENDPOINT", "https://127.0.0.1:" + cosmosPort);
        env.put("COSMOS_KEY", LOCAL_KEY);
        env.put("COSMOS_DATABASE_NAME", "agentchat-bench-" + UUID.randomUUID());
        env.put("EVENT_FLUSH_MS", Integer.toString(flushMillis));
        return env;
    }

    private static ServiceProcess start(BenchedService service, Map<String, String> env, String logName) throws Exception {
        Map<String, String> configured = new HashMap<>(env);
        configured.putAll(BenchedService.environmentFromProperties());
        List<String> jvm = new ArrayList<>(service.jvmOptions());
        // The local server's self-signed certificate, which azure-cosmos accepts for loopback endpoints when told so.
        jvm.add("-DCOSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED=true");
        return ServiceProcess.start(service.jar(), jvm, configured, service.log(logName));
    }

    /** The local Cosmos DB server, its packages installed first if need be; it ends when this JVM does (its stdin closes). */
    private static Process startCosmos() throws IOException, InterruptedException {
        if (!Files.isDirectory(COSMOS_SERVER)) {
            throw new IOException("the Cosmos DB test server is not at " + COSMOS_SERVER.toAbsolutePath() + ": run from the repository root");
        }
        try {
            if (!Files.isDirectory(COSMOS_SERVER.resolve("node_modules/@vercel/cosmosdb-server"))) {
                Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(COSMOS_SERVER.toFile())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (install.waitFor() != 0) {
                    throw new IOException("npm ci failed in " + COSMOS_SERVER);
                }
            }
            return new ProcessBuilder("node", "launcher.js", "0", "--exit-on-stdin-close").directory(COSMOS_SERVER.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IOException("the follow bench needs Node.js 20 or newer and npm on the PATH to run the Cosmos DB test "
                    + "server (e.g. apt-get install nodejs npm): " + e.getMessage(), e);
        }
    }

    private static int cosmosPort(Process cosmos) throws IOException {
        String first = new BufferedReader(new InputStreamReader(cosmos.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (first == null || !first.startsWith("COSMOS_PORT=")) {
            throw new IOException("the Cosmos DB test server did not start: " + first);
        }
        return Integer.parseInt(first.substring("COSMOS_PORT=".length()).strip());
    }
}
