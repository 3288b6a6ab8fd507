package dev.agentchat.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Short turns at saturation: clients send five-token turns back to back, each over a connection it keeps while
 * the back end allows, for a while; the back end's turns a second, turn times, CPU and peak memory. The one
 * measurement behind both the load harness's throughput table and the comparison with the peer.
 */
final class ShortTurns {
    /** What one back end did: {@code counts} holds the turns, errors and connections of its clients. */
    record Figures(double turnsPerSecond, double turnP50Ms, double turnP99Ms, double cores, double cpuMsPerTurn,
                   long rssPeakMb, ChatClient.Counts counts) {
    }

    private ShortTurns() {
    }

    static Figures measure(ServiceProcess process, ChatProtocol protocol, int clients, int seconds) throws Exception {
        ChatClient.Counts counts = new ChatClient.Counts();
        Samples turnTimes = new Samples();
        AtomicBoolean stop = new AtomicBoolean();
        long cpuBefore = process.cpuNanos();
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                pool.submit(() -> {
                    Samples own = new Samples();
                    try (ChatClient client = new ChatClient(process.port(), protocol, counts)) {
                        while (!stop.get() && process.isAlive()) {
                            long turnStarted = System.nanoTime();
                            if (client.turn((now, stamps) -> { })) {
                                own.add(System.nanoTime() - turnStarted);
                            } else {
                                pauseAfterFailure();
                            }
                        }
                    }
                    turnTimes.addAll(own);
                });
            }
            Thread.sleep(seconds * 1_000L);
            stop.set(true);
        }
        double window = (System.nanoTime() - started) / 1e9;
        long cpu = process.cpuNanos() - cpuBefore;
        return new Figures(counts.turns.get() / window, turnTimes.percentileMicros(50) / 1000,
                turnTimes.percentileMicros(99) / 1000, cpu / 1e9 / window, cpu / 1e6 / Math.max(1, counts.turns.get()),
                process.peakRssBytes() >> 20, counts);
    }

    /** A client whose turn failed waits a little before the next: a back end refusing everything must not spin the harness. */
    static void pauseAfterFailure() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
