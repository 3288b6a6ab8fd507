package dev.agentchat.bootstrap;

import dev.agentchat.adapter.cosmos.CosmosTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * Two service processes on one Cosmos DB database (of the local test server), each streaming slow
 * answers ({@link CrashMoment#STREAMING_SLOWLY}), behind HAProxy as {@code docs/deploy/haproxy.cfg}
 * configures it; and a client that reaches them only through the balancer.
 */
final class BalancedPair implements AutoCloseable {
    /** Two per instance, the balancer going round. */
    private static final int WARM_UP_CHATS = 4;

    private final List<ServiceProcess> instances;
    private final Haproxy haproxy;
    private final ServiceClient client;

    private BalancedPair(List<ServiceProcess> instances, Haproxy haproxy) {
        this.instances = instances;
        this.haproxy = haproxy;
        this.client = new ServiceClient(haproxy.port());
    }

    /** Starts both instances with {@code settings} (besides the database's), then the balancer; logs go to {@code logs}. */
    static BalancedPair start(Map<String, String> settings, Path logs) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("COSMOS_ENDPOINT", CosmosTestServer.endpoint());
        environment.put("COSMOS_KEY", CosmosTestServer.key());
        environment.put("COSMOS_DATABASE_NAME", "agentchat-balanced-" + UUID.randomUUID());
        List<ServiceProcess> instances = new ArrayList<>();
        try {
            for (int instance = 1; instance <= 2; instance++) {
                instances.add(ServiceProcess.start(environment, Optional.of(CrashMoment.STREAMING_SLOWLY),
                        logs.resolve("instance-" + instance + ".log")));
            }
            BalancedPair pair = new BalancedPair(List.copyOf(instances), Haproxy.start(instances, logs.resolve("haproxy.log")));
            try {
                pair.warmUp();
            } catch (RuntimeException | Error e) {
                pair.close();   // HAProxy too: a child process outlives the test's JVM
                throw e;
            }
            return pair;
        } catch (RuntimeException | Error e) {
            instances.forEach(ServiceProcess::close);
            throw e;
        }
    }

    /**
     * A few chats through the balancer to their end, so that the test's own chats meet instances past their
     * first requests (classes loaded, the store's connections open) and stream at their pace from the start.
     */
    private void warmUp() {
        try (ExecutorService chats = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ResumingClient.Visit>> visits = IntStream.rangeClosed(1, WARM_UP_CHATS)
                    .mapToObj(number -> chats.submit(() -> ResumingClient.chat(client, "Warming up " + number, 1, new CountDownLatch(1))))
                    .toList();
            for (Future<ResumingClient.Visit> visit : visits) {
                ResumingClient.Visit seen = visit.get(60, TimeUnit.SECONDS);
                if (seen.end() == null || !seen.end().type().equals("done")) {
                    throw new IllegalStateException("A chat to warm the instances up did not complete: " + seen.describe());
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The chats to warm the instances up did not end", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The instance HAProxy names {@code instance-<number>}. */
    ServiceProcess instance(int number) {
        return instances.get(number - 1);
    }

    /** A client of the balancer. */
    ServiceClient client() {
        return client;
    }

    Haproxy haproxy() {
        return haproxy;
    }

    @Override
    public void close() {
        client.close();
        haproxy.close();
        instances.forEach(ServiceProcess::close);
    }
}
