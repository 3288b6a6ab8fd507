package dev.agentchat.bench;

import static dev.agentchat.bench.BenchedService.arg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * agentchat against a peer, the chat back end a team would write instead with the AI SDK
 * ({@code bench/peer}): the same workloads, the same model server, the same socket clients, one back
 * end after the other in one run, each started as a process of its own. Prints one table per workload
 * with both figures and the peer's over agentchat's.
 *
 * <pre>
 * PeerBench latency STREAMS TOKENS          added latency per token and CPU per token
 * PeerBench streams STREAMS GAP_MS SECONDS  concurrent streams
 * PeerBench burst N...                      N new turns started at once
 * PeerBench throughput CLIENTS SECONDS      short turns at saturation
 * </pre>
 */
public final class PeerBench {
    private static final String MODEL_BODY = "{\"model\":\"bench\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    /** New streams opened a second while ramping up, as in {@link LoadBench}. */
    private static final int RAMP_PER_SECOND = 1_000;

    private final BenchedService service;
    private final Path peer;

    private PeerBench(BenchedService service, Path peer) {
        this.service = service;
        this.peer = peer;
    }

    public static void main(String[] args) throws Exception {
        PeerBench bench = new PeerBench(BenchedService.fromProperties(), Path.of(System.getProperty("bench.peer", "bench/peer")));
        switch (args.length == 0 ? "latency" : args[0]) {
            case "latency" -> bench.latency(Integer.parseInt(arg(args, 1, "16")), Integer.parseInt(arg(args, 2, "200")));
            case "streams" -> bench.streams(Integer.parseInt(arg(args, 1, "500")), Integer.parseInt(arg(args, 2, "200")),
                    Integer.parseInt(arg(args, 3, "20")));
            case "burst" -> bench.burst(args.length > 1
                    ? java.util.Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {100, 500});
            case "throughput" -> bench.throughput(Integer.parseInt(arg(args, 1, "64")), Integer.parseInt(arg(args, 2, "20")));
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        System.exit(0);
    }

    // ---- the two back ends

    private static final List<ChatProtocol> BACK_ENDS = List.of(new ChatProtocol.Agentchat(), new ChatProtocol.UiMessageStream());

    /** Starts {@code protocol}'s back end against {@code model}. */
    private ServiceProcess start(ChatProtocol protocol, ModelServer model, String scenario) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OPENAI_BASE_URL", model.baseUrl());
        env.put("OPENAI_API_KEY", "bench-key");
        env.put("OPENAI_MODEL", "bench");
        return switch (protocol) {
            case ChatProtocol.Agentchat agentchat -> {
                env.put("LOG_LEVEL", "WARNING");
                env.put("EVENT_RETENTION_SECONDS", System.getProperty("bench.retention", "300"));
                env.put("APPROVAL_TIMEOUT_SECONDS", env.get("EVENT_RETENTION_SECONDS"));
                yield service.start(env, "agentchat-" + scenario + ".log");
            }
            case ChatProtocol.UiMessageStream uiMessageStream ->
                    ServiceProcess.startPeer(peer, env, service.log("peer-" + scenario + ".log"));
        };
    }

    // ---- 1. added latency per token

    /**
     * {@code streams} readers each take answers of {@code tokens} tokens 10 ms apart, straight from the
     * model server (the baseline), then through each back end: a token's latency is its arrival minus
     * the moment the model server wrote it, and what a back end adds is its percentile minus the baseline's.
     */
    private void latency(int streams, int tokens) throws Exception {
        int warmUp = Integer.getInteger("bench.warmUpAnswers", 30);
        try (ModelServer model = ModelServer.start()) {
            model.script(new ModelServer.Script(tokens, 10));
            parallel(streams, 5, () -> readDirect(model, new Samples()));   // the harness's own code compiled
            Map<String, Samples> direct = new LinkedHashMap<>();
            Map<String, Samples> through = new HashMap<>();
            Map<String, Double> cpuPerToken = new HashMap<>();
            Map<String, ChatClient.Counts> counts = new HashMap<>();
            for (ChatProtocol protocol : BACK_ENDS) {
                try (ServiceProcess process = start(protocol, model, "latency")) {
                    eachClient(process, protocol, new ChatClient.Counts(), streams, warmUp, client -> client.turn((now, stamps) -> { }));
                    // The baseline is read just before each back end, so that both are set against the machine as it was then.
                    Samples baseline = new Samples();
                    parallel(streams, 5, () -> readDirect(model, baseline));
                    Samples latency = new Samples();
                    ChatClient.Counts count = new ChatClient.Counts();
                    long cpuBefore = process.cpuNanos();
                    eachClient(process, protocol, count, streams, 5, client -> client.turn((now, stamps) -> {
                        for (long stamp : stamps) {
                            latency.add(now - stamp);
                        }
                    }));
                    direct.put(protocol.name(), baseline);
                    through.put(protocol.name(), latency);
                    cpuPerToken.put(protocol.name(), (process.cpuNanos() - cpuBefore) / 1e3 / Math.max(1, count.tokens.get()));
                    counts.put(protocol.name(), count);
                }
            }
            SideBySide table = new SideBySide(String.format(Locale.ROOT, "Against the peer: added latency per token "
                    + "(%d concurrent streams, %d tokens 10 ms apart, 5 answers each after %d to warm up)", streams, tokens, warmUp));
            for (double percentile : new double[] {50, 90, 99, 99.9}) {
                table.lessIsBetter("added p" + trim(percentile) + " µs", added(through, direct, "agentchat", percentile),
                        added(through, direct, "peer", percentile), "%,.0f");
            }
            table.lessIsBetter("CPU per token µs", cpuPerToken.get("agentchat"), cpuPerToken.get("peer"), "%,.0f");
            countRows(table, counts.get("agentchat"), counts.get("peer"));
            direct.forEach((name, baseline) -> table.note(String.format(Locale.ROOT, "The model server read directly just "
                    + "before %s: p50 %.0f µs, p90 %.0f, p99 %.0f, p99.9 %.0f (%d tokens); the added figures are each back end's "
                    + "percentile minus its baseline's.", name, baseline.percentileMicros(50), baseline.percentileMicros(90),
                    baseline.percentileMicros(99), baseline.percentileMicros(99.9), baseline.count())));
            errorNotes(table, counts);
            table.print();
        }
    }

    private static double added(Map<String, Samples> through, Map<String, Samples> direct, String name, double percentile) {
        return through.get(name).percentileMicros(percentile) - direct.get(name).percentileMicros(percentile);
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
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the model server failed", e);
        }
    }

    // ---- 2. concurrent streams

    /**
     * {@code streams} clients each keep a turn streaming for a {@code seconds} window, one after another,
     * the model sending a token every {@code gapMillis} (answers of about ten seconds).
     */
    private void streams(int streams, int gapMillis, int seconds) throws Exception {
        try (ModelServer model = ModelServer.start()) {
            ModelServer.Script answers = new ModelServer.Script(Math.max(5, 10_000 / Math.max(gapMillis, 1)), gapMillis);
            SideBySide table = new SideBySide(String.format(Locale.ROOT, "Against the peer: %,d concurrent streams, "
                    + "a token every %d ms (window %d s)", streams, gapMillis, seconds));
            Map<String, ChatClient.Counts> counts = new HashMap<>();
            Map<String, double[]> figures = new HashMap<>();
            for (ChatProtocol protocol : BACK_ENDS) {
                try (ServiceProcess process = start(protocol, model, "streams")) {
                    warmUp(process, protocol, model);
                    model.script(answers);
                    ChatClient.Counts count = new ChatClient.Counts();
                    CountDownLatch streaming = new CountDownLatch(streams);
                    List<Samples> gaps = new ArrayList<>();
                    List<Samples> latencies = new ArrayList<>();
                    AtomicBoolean stop = new AtomicBoolean();
                    long rampStarted = System.nanoTime();
                    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                        for (int i = 0; i < streams; i++) {
                            Samples ownGaps = new Samples();
                            Samples ownLatency = new Samples();
                            gaps.add(ownGaps);
                            latencies.add(ownLatency);
                            clients.submit(() -> {
                                boolean[] streamingYet = {false};
                                try (ChatClient client = new ChatClient(process.port(), protocol, count)) {
                                    while (!stop.get() && process.isAlive()) {
                                        long[] last = {0};
                                        boolean ended = client.turn((now, stamps) -> {
                                            if (!streamingYet[0]) {
                                                streamingYet[0] = true;
                                                streaming.countDown();
                                            }
                                            for (long stamp : stamps) {
                                                ownLatency.add(now - stamp);
                                            }
                                            if (last[0] != 0) {
                                                ownGaps.add(now - last[0]);
                                            }
                                            last[0] = now;
                                        });
                                        if (!ended) {
                                            ShortTurns.pauseAfterFailure();
                                        }
                                    }
                                }
                            });
                            pace(i, rampStarted);
                        }
                        // The window opens once every stream has had its first token (the turns' start is the
                        // burst's business), and a little more.
                        boolean allStreaming = streaming.await(60, TimeUnit.SECONDS);
                        long notStreaming = streaming.getCount();
                        Thread.sleep(2_000);
                        long cpuBefore = process.cpuNanos();
                        long tokensBefore = count.tokens.get();
                        long started = System.nanoTime();
                        Thread.sleep(seconds * 1_000L);
                        double window = (System.nanoTime() - started) / 1e9;
                        long cpu = process.cpuNanos() - cpuBefore;
                        long tokens = count.tokens.get() - tokensBefore;
                        long rssLoaded = process.rssBytes();
                        // Stopping cuts the turns under way: what fails from here on is not the back end's.
                        long errors = count.errors.get();
                        List<String> firstErrors = count.firstErrors();
                        stop.set(true);
                        clients.shutdownNow();
                        clients.awaitTermination(30, TimeUnit.SECONDS);
                        Samples allGaps = new Samples();
                        Samples allLatency = new Samples();
                        gaps.forEach(allGaps::addAll);
                        latencies.forEach(allLatency::addAll);
                        if (!allStreaming) {
                            table.note(String.format(Locale.ROOT, "%s: %d of %d streams had not had a token 60 s after the ramp "
                                    + "(the window opened then all the same).", protocol.name(), notStreaming, streams));
                        }
                        figures.put(protocol.name(), new double[] {
                                errors,
                                tokens / window,
                                allGaps.percentileMicros(99) / 1000 - gapMillis,
                                allLatency.percentileMicros(99) / 1000,
                                cpu / 1e9 / window,
                                cpu / 1e3 / Math.max(1, tokens),
                                rssLoaded >> 20,
                                process.peakRssBytes() >> 20});
                        counts.put(protocol.name(), count);
                        if (errors > 0) {
                            table.note("First errors of " + protocol.name() + ": " + firstErrors);
                        }
                    }
                }
            }
            double[] a = figures.get("agentchat");
            double[] p = figures.get("peer");
            table.lessIsBetter("errors", a[0], p[0], "%,.0f")
                    .moreIsBetter("tokens/s delivered", a[1], p[1], "%,.0f")
                    .lessIsBetter("token gap p99 added ms", a[2], p[2], "%,.1f")
                    .lessIsBetter("token latency p99 ms", a[3], p[3], "%,.1f")
                    .lessIsBetter("CPU (cores)", a[4], p[4], "%.2f")
                    .lessIsBetter("CPU per token µs", a[5], p[5], "%,.0f")
                    .lessIsBetter("RSS loaded MB", a[6], p[6], "%,.0f")
                    .lessIsBetter("RSS peak MB", a[7], p[7], "%,.0f");
            countRows(table, counts.get("agentchat"), counts.get("peer"));
            table.note("Errors are those of the ramp and the window; the turns cut when the clients stop after it are not counted. "
                    + "Gaps and latencies are of every token the clients read.");
            table.print();
        }
    }

    /** Spreads the opening of streams out: the listen backlogs cannot take a thousand at once. */
    private static void pace(int opened, long startedNanos) throws InterruptedException {
        long wait = startedNanos + (long) opened * 1_000_000_000L / RAMP_PER_SECOND - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    // ---- 3. a burst of new turns

    /**
     * For each size: that many clients open their connections first, then all send a new turn at the same
     * moment (the release). Time to first token is from the release to the first token's arrival; the model
     * server notes when each model request reached it, which shows what a back end does one at a time.
     */
    private void burst(int[] sizes) throws Exception {
        try (ModelServer model = ModelServer.start()) {
            model.script(new ModelServer.Script(5, 0));
            Map<String, List<double[]>> figures = new HashMap<>();
            Map<String, ChatClient.Counts> counts = new HashMap<>();
            for (ChatProtocol protocol : BACK_ENDS) {
                try (ServiceProcess process = start(protocol, model, "burst")) {
                    warmUp(process, protocol, model);
                    ChatClient.Counts count = new ChatClient.Counts();
                    List<double[]> perSize = new ArrayList<>();
                    for (int size : sizes) {
                        Thread.sleep(1_000);   // the warm-up's or the last burst's turns settled
                        perSize.add(oneBurst(process, protocol, model, size, count));
                    }
                    figures.put(protocol.name(), perSize);
                    counts.put(protocol.name(), count);
                }
            }
            for (int i = 0; i < sizes.length; i++) {
                double[] a = figures.get("agentchat").get(i);
                double[] p = figures.get("peer").get(i);
                new SideBySide(String.format(Locale.ROOT, "Against the peer: %,d new turns started at once (5 tokens, no pause)", sizes[i]))
                        .lessIsBetter("errors", a[0], p[0], "%,.0f")
                        .lessIsBetter("first token p50 ms", a[1], p[1], "%,.1f")
                        .lessIsBetter("first token p90 ms", a[2], p[2], "%,.1f")
                        .lessIsBetter("first token p99 ms", a[3], p[3], "%,.1f")
                        .lessIsBetter("first token max ms", a[4], p[4], "%,.1f")
                        .lessIsBetter("first model request arrived ms", a[5], p[5], "%,.1f")
                        .lessIsBetter("last model request arrived ms", a[6], p[6], "%,.1f")
                        .note("Times are from the release of the requests, every connection already open.")
                        .print();
            }
            counts.forEach((name, count) -> {
                if (count.errors.get() > 0) {
                    System.out.println("First errors of " + name + " in the bursts: " + count.firstErrors());
                }
            });
        }
    }

    /** One burst of {@code size} turns: {errors, first token p50, p90, p99, max, first and last model request, in ms}. */
    private static double[] oneBurst(ServiceProcess process, ChatProtocol protocol, ModelServer model, int size,
            ChatClient.Counts count) throws Exception {
        List<ChatClient> clients = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ChatClient client = new ChatClient(process.port(), protocol, count);
            client.connect();
            clients.add(client);
        }
        long errorsBefore = count.errors.get();
        Samples firstToken = new Samples();
        CountDownLatch ready = new CountDownLatch(size);
        CountDownLatch release = new CountDownLatch(1);
        long[] released = new long[1];
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ChatClient client : clients) {
                pool.submit(() -> {
                    try (client) {
                        ready.countDown();
                        release.await();
                        boolean[] first = {true};
                        client.turn((now, stamps) -> {
                            if (first[0]) {
                                firstToken.add(now - released[0]);
                                first[0] = false;
                            }
                        });
                    }
                    return null;
                });
            }
            ready.await();
            Thread.sleep(200);   // every client parked on the release
            model.recordArrivals();
            released[0] = System.nanoTime();
            release.countDown();
        }
        List<Long> arrivals = model.arrivalsRecorded();
        double firstArrival = arrivals.isEmpty() ? Double.NaN : (arrivals.getFirst() - released[0]) / 1e6;
        double lastArrival = arrivals.isEmpty() ? Double.NaN : (arrivals.getLast() - released[0]) / 1e6;
        return new double[] {count.errors.get() - errorsBefore, firstToken.percentileMicros(50) / 1000,
                firstToken.percentileMicros(90) / 1000, firstToken.percentileMicros(99) / 1000,
                firstToken.percentileMicros(100) / 1000, firstArrival, lastArrival};
    }

    // ---- 4. short turns at saturation

    /** {@code clients} clients send short turns (five tokens, no pause) back to back for {@code seconds}. */
    private void throughput(int clients, int seconds) throws Exception {
        try (ModelServer model = ModelServer.start()) {
            model.script(new ModelServer.Script(5, 0));
            Map<String, double[]> figures = new HashMap<>();
            Map<String, ChatClient.Counts> counts = new HashMap<>();
            for (ChatProtocol protocol : BACK_ENDS) {
                try (ServiceProcess process = start(protocol, model, "throughput")) {
                    warmUp(process, protocol, model);
                    ShortTurns.Figures measured = ShortTurns.measure(process, protocol, clients, seconds);
                    figures.put(protocol.name(), new double[] {measured.turnsPerSecond(), measured.turnP50Ms(),
                            measured.turnP99Ms(), measured.cores(), measured.cpuMsPerTurn(), measured.rssPeakMb()});
                    counts.put(protocol.name(), measured.counts());
                }
            }
            double[] a = figures.get("agentchat");
            double[] p = figures.get("peer");
            SideBySide table = new SideBySide(String.format(Locale.ROOT, "Against the peer: short turns at saturation "
                    + "(%d clients, 5 tokens, %d s)", clients, seconds))
                    .moreIsBetter("turns/s", a[0], p[0], "%,.0f")
                    .lessIsBetter("errors", counts.get("agentchat").errors.get(), counts.get("peer").errors.get(), "%,.0f")
                    .lessIsBetter("turn p50 ms", a[1], p[1], "%,.1f")
                    .lessIsBetter("turn p99 ms", a[2], p[2], "%,.1f")
                    .lessIsBetter("CPU (cores)", a[3], p[3], "%.2f")
                    .lessIsBetter("CPU per turn ms", a[4], p[4], "%.2f")
                    .lessIsBetter("RSS peak MB", a[5], p[5], "%,.0f");
            countRows(table, counts.get("agentchat"), counts.get("peer"));
            errorNotes(table, counts);
            table.print();
        }
    }

    // ---- helpers


    /**
     * Short turns (five tokens, no pause) from 64 clients, 20 each, so that what follows measures a back
     * end that has served a while (agentchat's JIT compiled, every pool filled); leaves the model server
     * answering so.
     */
    private static void warmUp(ServiceProcess process, ChatProtocol protocol, ModelServer model) {
        model.script(new ModelServer.Script(5, 0));
        eachClient(process, protocol, new ChatClient.Counts(), 64, Integer.getInteger("bench.warmUpTurns", 20),
                client -> client.turn((now, stamps) -> { }));
    }

    /** Each of {@code parallel} clients of {@code process} (a virtual thread each) runs {@code turn} {@code times}; waits for all. */
    private static void eachClient(ServiceProcess process, ChatProtocol protocol, ChatClient.Counts counts, int parallel,
            int times, Consumer<ChatClient> turn) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < parallel; i++) {
                pool.submit(() -> {
                    try (ChatClient client = new ChatClient(process.port(), protocol, counts)) {
                        for (int n = 0; n < times; n++) {
                            turn.accept(client);
                        }
                    }
                });
            }
        }
    }

    /** Runs {@code work} {@code times} in each of {@code parallel} virtual threads and waits for all. */
    private static void parallel(int parallel, int times, Runnable work) {
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

    private static void countRows(SideBySide table, ChatClient.Counts agentchat, ChatClient.Counts peer) {
        table.count("turns", agentchat.turns.get(), peer.turns.get())
                .count("tokens read (stamps)", agentchat.tokens.get(), peer.tokens.get())
                .count("events that carried them", agentchat.textEvents.get(), peer.textEvents.get())
                .count("turns over a kept connection", agentchat.turnsOnAKeptConnection.get(), peer.turnsOnAKeptConnection.get())
                .count("connections opened", agentchat.connectionsOpened.get(), peer.connectionsOpened.get())
                .count("kept connections found closed", agentchat.keptConnectionsLost.get(), peer.keptConnectionsLost.get());
    }

    private static void errorNotes(SideBySide table, Map<String, ChatClient.Counts> counts) {
        counts.forEach((name, count) -> {
            if (count.errors.get() > 0) {
                table.note("First errors of " + name + ": " + count.firstErrors());
            }
        });
    }

    private static String trim(double percentile) {
        return percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
    }
}
