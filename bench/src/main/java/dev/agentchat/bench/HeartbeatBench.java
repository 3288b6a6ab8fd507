package dev.agentchat.bench;

import static dev.agentchat.bench.BenchedService.arg;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the heartbeat does in real time, against the built service and a model that hangs: how long
 * after a client leaves mid-answer its run is stopped (the heartbeat is what notices), and how regular
 * the heartbeats of quiet streams are. The tests check the heartbeat's logic on a manual clock; the
 * time it takes on a loaded machine is measured here. Prints one Markdown table per scenario.
 *
 * <pre>
 * HeartbeatBench disconnect STREAMS INTERVAL_SECONDS
 * HeartbeatBench quiet STREAMS INTERVAL_SECONDS WINDOW_SECONDS
 * </pre>
 */
public final class HeartbeatBench {
    private static final String AGENT = "support-triage";
    private static final String CHAT = "/api/agents/" + AGENT + "/chat";
    private static final String BODY = "{\"message\":\"How do I restart my VM?\"}";
    private static final int RAMP_PER_SECOND = 1_000;

    private final BenchedService service;

    private HeartbeatBench(BenchedService service) {
        this.service = service;
    }

    public static void main(String[] args) throws Exception {
        HeartbeatBench bench = new HeartbeatBench(BenchedService.fromProperties());
        switch (args.length == 0 ? "disconnect" : args[0]) {
            case "disconnect" -> bench.disconnect(Integer.parseInt(arg(args, 1, "100")), Integer.parseInt(arg(args, 2, "15")));
            case "quiet" -> bench.quiet(Integer.parseInt(arg(args, 1, "1000")), Integer.parseInt(arg(args, 2, "2")),
                    Integer.parseInt(arg(args, 3, "30")));
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        System.exit(0);
    }

    // ---- 1. a client that leaves mid-answer

    /**
     * {@code streams} clients each read two tokens of an answer whose model then hangs, wait a random
     * part of the heartbeat interval (so that they leave at every point of the heartbeat's cycle), and
     * leave: politely (FIN, as a closed browser tab) or with a reset (as a client whose process died).
     * Under the cancel policy with no grace, the run ends once the service notices: the time from the
     * client's leaving to the run's {@code ended_at} is what is measured.
     */
    private void disconnect(int streams, int intervalSeconds) throws Exception {
        System.out.printf(Locale.ROOT, "%n### A client leaves mid-answer, the model hangs: client gone to run stopped "
                + "(%d streams at once, heartbeat interval %d s, cancel policy, no grace)%n%n", streams, intervalSeconds);
        System.out.println("| client leaves by | runs stopped | p50 s | p90 s | p99 s | max s | model calls closed |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (boolean reset : new boolean[] {false, true}) {
            try (ModelServer model = ModelServer.start()) {
                model.script(new ModelServer.Script(2, 0, true));
                try (ServiceProcess service = start(model, intervalSeconds, Map.of("DISCONNECT_POLICY", "cancel",
                        "DISCONNECT_GRACE_SECONDS", "0"))) {
                    Map<String, Instant> leftAt = new ConcurrentHashMap<>();
                    List<String> errors = new ArrayList<>();
                    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                        for (int i = 0; i < streams; i++) {
                            clients.submit(() -> leaveMidAnswer(service.port(), intervalSeconds, reset, leftAt, errors));
                        }
                    }
                    // Every run is stopped within one interval of its client leaving; the margin is for a busy machine.
                    TimeUnit.SECONDS.sleep(intervalSeconds + 5L);
                    Samples stopped = new Samples();
                    int notStopped = 0;
                    try (HttpClient http = HttpClient.newHttpClient()) {
                        for (Map.Entry<String, Instant> left : leftAt.entrySet()) {
                            String run = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port()
                                    + "/api/agents/" + AGENT + "/threads/" + left.getKey())).build(),
                                    HttpResponse.BodyHandlers.ofString()).body();
                            String endedAt = SseConnection.member(run, "ended_at");
                            if (!"cancelled".equals(SseConnection.member(run, "status")) || endedAt == null) {
                                notStopped++;
                                continue;
                            }
                            stopped.add(Duration.between(left.getValue(), Instant.parse(endedAt)).toNanos());
                        }
                    }
                    System.out.printf(Locale.ROOT, "| %s | %d of %d | %.2f | %.2f | %.2f | %.2f | %d |%n",
                            reset ? "reset (RST)" : "close (FIN)", stopped.count(), leftAt.size(),
                            stopped.percentileMicros(50) / 1e6, stopped.percentileMicros(90) / 1e6,
                            stopped.percentileMicros(99) / 1e6, stopped.percentileMicros(100) / 1e6, model.hangsEnded());
                    if (notStopped > 0 || !errors.isEmpty()) {
                        System.out.println("not stopped: " + notStopped + "; first errors: " + errors.subList(0, Math.min(5, errors.size())));
                    }
                }
            }
        }
        System.out.println();
    }

    /** One client: two tokens, a random part of the interval, then gone; its run's path and when it left go to {@code leftAt}. */
    private static void leaveMidAnswer(int port, int intervalSeconds, boolean reset, Map<String, Instant> leftAt,
                                       List<String> errors) {
        try {
            SseConnection stream = SseConnection.post(port, CHAT, BODY);
            int tokens = 0;
            for (String data = stream.nextData(); data != null && tokens < 2; data = stream.nextData()) {
                if (data.startsWith("{\"type\":\"token\"")) {
                    tokens++;
                }
            }
            // Read on until leaving, as a browser does: a socket closed with data unread sends a reset, not a FIN.
            Thread drain = Thread.ofVirtual().start(() -> drain(stream));
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(intervalSeconds * 1_000L));
            Instant left = Instant.now();
            if (reset) {
                stream.reset();
            } else {
                stream.close();
            }
            drain.join();
            if (tokens < 2) {
                throw new IOException("the stream ended before two tokens");
            }
            leftAt.put(stream.threadId() + "/runs/" + stream.runId(), left);
        } catch (IOException | RuntimeException e) {
            synchronized (errors) {
                errors.add(e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(SseConnection stream) {
        try {
            while (stream.nextData() != null) {
                // heartbeats, until the client leaves
            }
        } catch (IOException e) {
            // the client left: its own socket closed under the read
        }
    }

    // ---- 2. heartbeats of quiet streams

    /**
     * {@code streams} clients each hold a stream whose model sends nothing, and time the heartbeats that
     * arrive in a window of {@code windowSeconds}: the gap between two is due every half interval.
     */
    private void quiet(int streams, int intervalSeconds, int windowSeconds) throws Exception {
        try (ModelServer model = ModelServer.start()) {
            model.script(new ModelServer.Script(0, 0, true));
            try (ServiceProcess service = start(model, intervalSeconds, Map.of())) {
                Samples gaps = new Samples();
                AtomicBoolean measuring = new AtomicBoolean();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong errors = new AtomicLong();
                List<SseConnection> open = new ArrayList<>();
                long started = System.nanoTime();
                try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < streams; i++) {
                        clients.submit(() -> readHeartbeats(service.port(), gaps, measuring, stop, errors, open));
                        long wait = started + (long) i * 1_000_000_000L / RAMP_PER_SECOND - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                    // A whole interval after the last stream opened, every stream is beating on its own cycle.
                    TimeUnit.SECONDS.sleep(intervalSeconds);
                    long cpuBefore = service.cpuNanos();
                    measuring.set(true);
                    TimeUnit.SECONDS.sleep(windowSeconds);
                    measuring.set(false);
                    double cores = (service.cpuNanos() - cpuBefore) / 1e9 / windowSeconds;
                    stop.set(true);
                    synchronized (open) {
                        open.forEach(SseConnection::close);
                    }
                    double due = intervalSeconds * 1000.0 / 2;
                    System.out.printf(Locale.ROOT, "%n### Heartbeats on quiet streams (%,d streams, heartbeat interval %d s: "
                            + "one due every %.0f ms; window %d s)%n%n", streams, intervalSeconds, due, windowSeconds);
                    System.out.println("| gaps | errors | gap p50 ms | p99 ms | max ms | p99 late by ms | service CPU (cores) |");
                    System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                    System.out.printf(Locale.ROOT, "| %d | %d | %.1f | %.1f | %.1f | %.1f | %.3f |%n", gaps.count(), errors.get(),
                            gaps.percentileMicros(50) / 1000, gaps.percentileMicros(99) / 1000,
                            gaps.percentileMicros(100) / 1000, gaps.percentileMicros(99) / 1000 - due, cores);
                    System.out.println();
                    clients.shutdownNow();
                }
            }
        }
    }

    /** One quiet stream: the gap between each two heartbeats that arrive while {@code measuring}. */
    private static void readHeartbeats(int port, Samples gaps, AtomicBoolean measuring, AtomicBoolean stop, AtomicLong errors,
                                       List<SseConnection> open) {
        try {
            SseConnection stream = SseConnection.post(port, CHAT, BODY);
            synchronized (open) {
                open.add(stream);
            }
            if (stream.status() != 200) {
                errors.incrementAndGet();
                return;
            }
            long last = 0;
            for (String data = stream.nextData(); data != null && !stop.get(); data = stream.nextData()) {
                long now = System.nanoTime();
                if (!data.startsWith("{\"type\":\"heartbeat\"")) {
                    errors.incrementAndGet();   // a quiet stream carries nothing else: an error event or a token
                    return;
                }
                if (measuring.get() && last != 0) {
                    gaps.add(now - last);
                }
                last = now;
            }
        } catch (IOException | RuntimeException e) {
            if (!stop.get()) {
                errors.incrementAndGet();
            }
        }
    }

    // ---- the service

    private ServiceProcess start(ModelServer model, int intervalSeconds, Map<String, String> more) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("LOG_LEVEL", "WARNING");
        env.put("EVENT_RETENTION_SECONDS", "300");
        env.put("APPROVAL_TIMEOUT_SECONDS", "300");   // no longer than the events are kept
        env.put("OPENAI_BASE_URL", model.baseUrl());
        env.put("OPENAI_API_KEY", "bench-key");
        env.put("OPENAI_MODEL", "bench");
        env.put("HEARTBEAT_INTERVAL_SECONDS", Integer.toString(intervalSeconds));
        // The model hangs on purpose: the run must not end for the model's silence while it is measured.
        env.put("MODEL_IDLE_TIMEOUT_SECONDS", "3600");
        env.putAll(more);
        return service.start(env, "service-heartbeat.log");
    }
}
