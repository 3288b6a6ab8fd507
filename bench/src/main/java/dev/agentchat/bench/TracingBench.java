package dev.agentchat.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What tracing costs: the per-token latency and the short-turn workloads of {@link LoadBench}, first with
 * tracing off (no OTLP endpoint: the service's default), then with every span exported over OTLP/HTTP to a
 * receiver started here on loopback, which takes each export and answers at once (a collector that keeps up).
 *
 * <pre>
 * TracingBench [STREAMS TOKENS CLIENTS SECONDS]     (defaults: 16 200 64 20)
 * </pre>
 */
public final class TracingBench {
    private static final String ENDPOINT = "bench.env.OTEL_EXPORTER_OTLP_ENDPOINT";

    private TracingBench() {
    }

    public static void main(String[] args) throws Exception {
        String streams = BenchedService.arg(args, 0, "16");
        String tokens = BenchedService.arg(args, 1, "200");
        String clients = BenchedService.arg(args, 2, "64");
        String seconds = BenchedService.arg(args, 3, "20");
        try (Receiver receiver = Receiver.start()) {
            for (boolean tracing : new boolean[] {false, true}) {
                if (tracing) {
                    System.setProperty(ENDPOINT, receiver.endpoint());
                    System.setProperty("bench.env.OTEL_SERVICE_NAME", "agentchat-bench");
                } else {
                    System.clearProperty(ENDPOINT);
                }
                System.out.printf(Locale.ROOT, "%n## Tracing %s%n", tracing ? "on: every span exported over OTLP/HTTP" : "off");
                long exportsBefore = receiver.exports.get();
                long bytesBefore = receiver.bytes.get();
                LoadBench.run("latency", streams, tokens);
                LoadBench.run("throughput", clients, seconds);
                System.out.printf(Locale.ROOT, "%nOTLP exports received: %d (%.1f MB)%n", receiver.exports.get() - exportsBefore,
                        (receiver.bytes.get() - bytesBefore) / 1e6);
            }
        } finally {
            System.exit(0);
        }
    }

    /** An OTLP/HTTP trace receiver that keeps count of what it is sent and answers each export with success. */
    private static final class Receiver implements AutoCloseable {
        private final HttpServer server;
        final AtomicLong exports = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        private Receiver(HttpServer server) {
            this.server = server;
        }

        static Receiver start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            Receiver receiver = new Receiver(server);
            server.createContext("/v1/traces", exchange -> {
                try (InputStream body = exchange.getRequestBody()) {
                    receiver.bytes.addAndGet(body.transferTo(java.io.OutputStream.nullOutputStream()));
                }
                receiver.exports.incrementAndGet();
                // An empty ExportTraceServiceResponse: everything accepted.
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return receiver;
        }

        String endpoint() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
