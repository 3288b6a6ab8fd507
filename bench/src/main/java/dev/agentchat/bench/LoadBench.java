package dev.agentchat.bench;

import static dev.agentchat.bench.BenchedService.arg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load harness: starts the built service as a process next to a fast local model server and
 * measures, side by side, the latency the service adds to each token, how many concurrent streams it
 * carries, and how many short turns it serves a second. Prints one Markdown table per scenario.
 *
 * <pre>
 * LoadBench latency
 * LoadBench capacity STREAMS MODEL GAP_MS SECONDS     (MODEL: openai or demo)
 * LoadBench throughput CLIENTS SECONDS
 * </pre>
 */
public final class LoadBench {
    private static final String AGENT = "support-triage";
    private static final String CHAT = "/api/agents/" + AGENT + "/chat";
    private static final String BODY = "{\"message\":\"How do I restart my VM?\"}";
    private static final String MODEL_BODY = "{\"model\":\"bench\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    /** New streams opened a second while ramping up: the listen backlog here is 4,096. */
    private static final int RAMP_PER_SECOND = 1_000;

    private final BenchedService service;

    private LoadBench(BenchedService service) {
        this.service = service;
    }

    public static void main(String[] args) throws Exception {
        run(args);
        System.exit(0);
    }

    /** Runs the scenario {@code args} names, its service configured by the bench's system properties as they are now. */
    static void run(String... args) throws Exception {
        LoadBench bench = new LoadBench(BenchedService.fromProperties());
        switch (args.length == 0 ? "latency" : args[0]) {
            case "latency" -> bench.latency(Integer.parseInt(arg(args, 1, "16")), Integer.parseInt(arg(args, 2, "200")));
            case "capacity" -> bench.capacity(Integer.parseInt(arg(args, 1, "1000")), arg(args, 2, "openai"),
                    Integer.parseInt(arg(args, 3, "200")), Integer.parseInt(arg(args, 4, "30")));
            case "throughput" -> bench.throughput(Integer.parseInt(arg(args, 1, "64")), Integer.parseInt(arg(args, 2, "20")));
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
    }

    // ---- 1. added latency per token

    /**
     * {@code streams} readers each take answers of {@code tokens} tokens, 10 ms apart, first straight from
     * the model server, then through the service: each token's latency is its arrival minus the moment
     * the model server wrote it.
     */
    private void latency(int streams, int tokens) throws Exception {
        try (ModelServer model = ModelServer.start()) {
            model.script(new ModelServer.Script(tokens, 10));
            try (ServiceProcess service = openAiService(model, Map.of())) {
                // Warm both paths up first: the JIT, the connection pools, the service's first turns.
                int warmUp = Integer.getInteger("bench.warmUpAnswers", 30);
                run(streams, warmUp, () -> readDirect(model, new Samples()));
                run(streams, warmUp, () -> readService(service.port(), new Samples(), new Samples(), 0, new ChatClient.Counts()));
                Samples direct = new Samples();
                Samples through = new Samples();
                ChatClient.Counts outcome = new ChatClient.Counts();
                run(streams, 5, () -> readDirect(model, direct));
                long userBefore = service.userNanos();
                long systemBefore = service.systemNanos();
                long started = System.nanoTime();
                run(streams, 5, () -> readService(service.port(), through, new Samples(), 0, outcome));
                double seconds = (System.nanoTime() - started) / 1e9;
                double userCores = (service.userNanos() - userBefore) / 1e9 / seconds;
                double systemCores = (service.systemNanos() - systemBefore) / 1e9 / seconds;
                double cpuCores = userCores + systemCores;
                System.out.printf(Locale.ROOT, "%n### Added latency per token (%d concurrent streams, %d tokens 10 ms apart, "
                        + "5 answers each, after %d answers each to warm up)%n%n", streams, tokens, warmUp);
                System.out.println("| path | tokens | p50 µs | p90 µs | p99 µs | p99.9 µs |");
                System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
                row("model server, read directly", direct);
                row("through the service", through);
                System.out.printf(Locale.ROOT, "| **added by the service** | | **%.0f** | **%.0f** | **%.0f** | **%.0f** |%n",
                        through.percentileMicros(50) - direct.percentileMicros(50),
                        through.percentileMicros(90) - direct.percentileMicros(90),
                        through.percentileMicros(99) - direct.percentileMicros(99),
                        through.percentileMicros(99.9) - direct.percentileMicros(99.9));
                System.out.println();
                double tokensPerSecond = streams * 1000.0 / 10;
                System.out.printf(Locale.ROOT, "errors: %d of %d turns; the service used %.2f cores, %.0f µs of CPU a token "
                        + "(%.0f µs in its own code, %.0f µs in the kernel)%n", outcome.errors.get(), outcome.turns.get(), cpuCores,
                        cpuCores * 1e6 / tokensPerSecond, userCores * 1e6 / tokensPerSecond, systemCores * 1e6 / tokensPerSecond);
            }
        }
    }

    private static void row(String name, Samples samples) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %.0f |%n", name, samples.count(),
                samples.percentileMicros(50), samples.percentileMicros(90), samples.percentileMicros(99),
                samples.percentileMicros(99.9));
    }

    private static void readDirect(ModelServer model, Samples latency) {
        try (SseConnection stream = SseConnection.post(model.port(), "/v1/chat/completions", MODEL_BODY)) {
            for (String data = stream.nextData(); data != null && !data.equals("[DONE]"); data = stream.nextData()) {
                String content = SseConnection.member(data, "content");
                long now = System.nanoTime();
                if (content != null && !content.isEmpty()) {
                    latency.add(now - Long.parseLong(content.strip()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the model server failed", e);
        }
    }

    // ---- 2. capacity

    /**
     * {@code streams} clients each keep one chat stream open for {@code seconds}, one turn after another,
     * with the model sending a token every {@code gapMillis}. Measures errors, the gap between tokens the
     * client sees beyond the model's own, and the service's memory and CPU.
     */
    private void capacity(int streams, String modelKind, int gapMillis, int seconds) throws Exception {
        try (ModelServer model = ModelServer.start()) {
            int tokens = Math.max(5, 10_000 / Math.max(gapMillis, 1));   // answers of about ten seconds
            model.script(new ModelServer.Script(tokens, gapMillis));
            boolean demo = modelKind.equals("demo");
            // "direct": the same clients read the model server itself, the baseline of what the machine can carry.
            boolean direct = modelKind.equals("direct");
            Map<String, String> extra = Map.of("DEMO_MODEL_DELAY_MS", Integer.toString(gapMillis));
            try (ServiceProcess service = demo ? demoService(extra) : openAiService(model, Map.of())) {
                long rssIdle = service.rssBytes();
                Samples latency = new Samples();
                Samples gaps = new Samples();
                ChatClient.Counts outcome = new ChatClient.Counts();
                AtomicBoolean stop = new AtomicBoolean();
                CountDownLatch allOpen = new CountDownLatch(streams);
                List<Samples> perStreamLatency = new ArrayList<>();
                List<Samples> perStreamGaps = new ArrayList<>();
                long rampStarted = System.nanoTime();
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < streams; i++) {
                        Samples ownLatency = new Samples();
                        Samples ownGaps = new Samples();
                        perStreamLatency.add(ownLatency);
                        perStreamGaps.add(ownGaps);
                        clients.submit(() -> {
                            allOpen.countDown();
                            while (!stop.get()) {
                                if (direct) {
                                    readDirectly(model, ownLatency, ownGaps, outcome);
                                } else {
                                    readService(service.port(), demo ? null : ownLatency, ownGaps, gapMillis, outcome);
                                }
                            }
                        });
                        pace(i, rampStarted);
                    }
                    allOpen.await();
                    double rampSeconds = (System.nanoTime() - rampStarted) / 1e9;
                    // Steady state: every client has a stream open; measure the service over the window.
                    Thread.sleep(2_000);
                    long cpuBefore = service.cpuNanos();
                    long wallBefore = System.nanoTime();
                    long eventsBefore = outcome.events.get();
                    Thread.sleep(seconds * 1_000L);
                    long cpuAfter = service.cpuNanos();
                    long wallAfter = System.nanoTime();
                    long eventsAfter = outcome.events.get();
                    long rssLoaded = service.rssBytes();
                    stop.set(true);
                    perStreamLatency.forEach(latency::addAll);
                    perStreamGaps.forEach(gaps::addAll);
                    double window = (wallAfter - wallBefore) / 1e9;
                    double cpuCores = (cpuAfter - cpuBefore) / 1e9 / window;
                    double eventsPerSecond = (eventsAfter - eventsBefore) / window;
                    System.out.printf(Locale.ROOT, "%n### %,d concurrent streams, %s model, a token every %d ms "
                            + "(ramp %.1f s, window %.0f s)%n%n", streams, demo ? "offline demo" : direct ? "model server read directly (no service)" : "OpenAI wire format",
                            gapMillis, rampSeconds, window);
                    System.out.println("| turns | errors | events/s | token gap p50 ms | p99 ms | gap added p99 ms "
                            + "| token latency p99 ms | service CPU (cores) | µs CPU/event | RSS idle MB | RSS loaded MB | RSS peak MB |");
                    System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                    System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.1f | %.1f | %.1f | %s | %.2f | %.1f | %d | %d | %d |%n",
                            outcome.turns.get(), outcome.errors.get(), eventsPerSecond,
                            gaps.percentileMicros(50) / 1000, gaps.percentileMicros(99) / 1000,
                            gaps.percentileMicros(99) / 1000 - gapMillis,
                            demo ? "n/a" : String.format(Locale.ROOT, "%.1f", latency.percentileMicros(99) / 1000),
                            cpuCores, cpuCores * 1e6 / Math.max(eventsPerSecond, 1),
                            rssIdle >> 20, rssLoaded >> 20, service.peakRssBytes() >> 20);
                    System.out.println();
                    System.out.println("first errors: " + outcome.firstErrors());
                    clients.shutdownNow();
                    clients.awaitTermination(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Spreads the opening of streams out: the listen backlog cannot take ten thousand at once. */
    private static void pace(int opened, long startedNanos) throws InterruptedException {
        long due = startedNanos + (long) opened * 1_000_000_000L / RAMP_PER_SECOND;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** One answer read straight from the model server, timed as {@link #readService} times the service's. */
    private static void readDirectly(ModelServer model, Samples latency, Samples gaps, ChatClient.Counts outcome) {
        try (SseConnection stream = SseConnection.post(model.port(), "/v1/chat/completions", MODEL_BODY)) {
            long lastToken = 0;
            for (String data = stream.nextData(); data != null; data = stream.nextData()) {
                long now = System.nanoTime();
                outcome.events.incrementAndGet();
                if (data.equals("[DONE]")) {
                    outcome.turns.incrementAndGet();
                    return;
                }
                String content = SseConnection.member(data, "content");
                if (content != null && !content.isEmpty()) {
                    latency.add(now - Long.parseLong(content.strip()));
                    if (lastToken != 0) {
                        gaps.add(now - lastToken);
                    }
                    lastToken = now;
                }
            }
            outcome.error("stream ended without [DONE]");
        } catch (IOException | RuntimeException e) {
            outcome.error(e.toString());
        }
    }

    // ---- 3. throughput

    /** {@code clients} clients send short turns (five tokens, no pause) back to back for {@code seconds}. */
    private void throughput(int clients, int seconds) throws Exception {
        try (ModelServer model = ModelServer.start()) {
            model.script(new ModelServer.Script(5, 0));
            try (ServiceProcess service = openAiService(model, Map.of())) {
                run(clients, 20, () -> readService(service.port(), new Samples(), new Samples(), 0, new ChatClient.Counts()));
                ShortTurns.Figures measured = ShortTurns.measure(service, new ChatProtocol.Agentchat(), clients, seconds);
                System.out.printf(Locale.ROOT, "%n### Short streamed turns at saturation (%d clients, 5 tokens, %d s)%n%n",
                        clients, seconds);
                System.out.println("| turns/s | errors | turn p50 ms | turn p99 ms | service CPU (cores) | RSS peak MB |");
                System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
                System.out.printf(Locale.ROOT, "| %.0f | %d | %.1f | %.1f | %.2f | %d |%n", measured.turnsPerSecond(),
                        measured.counts().errors.get(), measured.turnP50Ms(), measured.turnP99Ms(), measured.cores(),
                        measured.rssPeakMb());
                System.out.println();
                System.out.println("first errors: " + measured.counts().firstErrors());
            }
        }
    }

    // ---- the client

    /**
     * One chat turn through the service, read to its end. Each token's latency goes to {@code latency}
     * (when the model stamps its tokens), and each gap between tokens beyond {@code expectedGapMillis}
     * to {@code gaps}.
     */
    private static void readService(int port, Samples latency, Samples gaps, int expectedGapMillis, ChatClient.Counts outcome) {
        try (SseConnection stream = SseConnection.post(port, CHAT, BODY)) {
            if (stream.status() != 200) {
                outcome.error("status " + stream.status());
                return;
            }
            long lastToken = 0;
            for (String data = stream.nextData(); data != null; data = stream.nextData()) {
                long now = System.nanoTime();
                outcome.events.incrementAndGet();
                if (data.startsWith("{\"type\":\"token\"")) {
                    if (latency != null) {
                        String content = SseConnection.member(data, "content");
                        latency.add(now - Long.parseLong(content.strip()));
                    }
                    if (lastToken != 0) {
                        gaps.add(now - lastToken);
                    }
                    lastToken = now;
                } else if (data.startsWith("{\"type\":\"done\"")) {
                    outcome.turns.incrementAndGet();
                    return;
                } else if (data.startsWith("{\"type\":\"error\"")) {
                    outcome.error("error event " + SseConnection.member(data, "code"));
                    return;
                }
            }
            outcome.error("stream ended without done");
        } catch (IOException | RuntimeException e) {
            outcome.error(e.toString());
        }
    }

    /** Runs {@code work} {@code times} in each of {@code parallel} virtual threads and waits for all. */
    private static void run(int parallel, int times, Runnable work) throws InterruptedException {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < parallel; i++) {
                pool.submit(() -> {
                    for (int n = 0; n < times; n++) {
                        work.run();
                    }
                });
            }
        }
    }

    // ---- the service

    private ServiceProcess openAiService(ModelServer model, Map<String, String> more) throws Exception {
        Map<String, String> env = new HashMap<>(common());
        env.put("OPENAI_BASE_URL", model.baseUrl());
        env.put("OPENAI_API_KEY", "bench-key");
        env.put("OPENAI_MODEL", "bench");
        env.putAll(more);
        return service.start(env, "service-openai.log");
    }

    private ServiceProcess demoService(Map<String, String> more) throws Exception {
        Map<String, String> env = new HashMap<>(common());
        env.putAll(more);
        return service.start(env, "service-demo.log");
    }

    private static Map<String, String> common() {
        Map<String, String> env = new HashMap<>();
        env.put("LOG_LEVEL", "WARNING");
        // The embedded stores keep what the benchmark writes; a short retention keeps the event log's
        // share of memory to the runs a client could still resume, as a long-running service would.
        env.put("EVENT_RETENTION_SECONDS", System.getProperty("bench.retention", "300"));
        env.put("APPROVAL_TIMEOUT_SECONDS", env.get("EVENT_RETENTION_SECONDS"));   // no longer than the events are kept
        // With -Dbench.apiKey the service checks a credential on every request, as it does behind sign-in. Every
        // stream of the bench is then one user's, so that user may have as many runs as the settings allow
        // (an open service has no per-user limit unless one is set).
        SseConnection.apiKey().ifPresent(key -> {
            env.put("API_KEYS_FILE", apiKeysFile(key));
            env.put("MAX_ACTIVE_RUNS_PER_USER", "1000");
        });
        return env;
    }

    /** A keys file that lets {@code key} act as the user {@code bench}: the hash of the key, as the service keeps it. */
    private static String apiKeysFile(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            Path file = Files.createTempFile("bench-keys", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, HexFormat.of().formatHex(hash) + " bench\n");
            return file.toString();
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot write the bench's API keys file", e);
        }
    }
}
