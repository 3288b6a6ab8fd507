package dev.agentchat.adapter.cosmos;

import com.azure.cosmos.CosmosException;
import dev.agentchat.ports.health.RequiredDependency;
import dev.agentchat.ports.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether Cosmos DB answers: a read of a container's properties (a metadata read, no items), asked at most once
 * every {@link #FRESH} whoever asks, and waited for at most {@link #PATIENCE}. The SDK's own retries of a connection
 * that fails can take far longer than a readiness probe waits; a probe still unanswered after the patience counts
 * as not answering, and goes on in the background for the next one.
 */
final class CosmosReachability implements RequiredDependency {
    static final Duration FRESH = Duration.ofSeconds(5);
    static final Duration PATIENCE = Duration.ofSeconds(2);

    private final Runnable probe;
    private final Clock clock;
    private final Duration fresh;
    private final Duration patience;
    /** The probe last begun, and when (the clock's interval reading); replaced once stale and answered. */
    private CompletableFuture<Optional<String>> asked;
    private long askedAt;

    CosmosReachability(Runnable probe, Clock clock, Duration fresh, Duration patience) {
        this.probe = probe;
        this.clock = clock;
        this.fresh = fresh;
        this.patience = patience;
    }

    @Override
    public String name() {
        return "cosmos-db";
    }

    @Override
    public Optional<String> problem() {
        CompletableFuture<Optional<String>> answer = current();
        try {
            return answer.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of("Cosmos DB did not answer within " + patience.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("the check of Cosmos DB was interrupted");
        } catch (ExecutionException e) {
            return Optional.of("Cosmos DB cannot be reached (" + e.getCause().getClass().getSimpleName() + ")");
        }
    }

    /** The probe to go by: the last one while it is fresh or still running, else a new one. */
    private synchronized CompletableFuture<Optional<String>> current() {
        long now = clock.nanoTime();
        if (asked == null || (asked.isDone() && now - askedAt >= fresh.toNanos())) {
            askedAt = now;
            asked = new CompletableFuture<>();
            CompletableFuture<Optional<String>> answer = asked;
            Thread.ofVirtual().name("cosmos-readiness").start(() -> {
                try {
                    answer.complete(ask());
                } catch (Throwable e) {
                    // Answered, however: a probe left unanswered would hold every later one at the patience.
                    answer.completeExceptionally(e);
                }
            });
        }
        return asked;
    }

    private Optional<String> ask() {
        try {
            probe.run();
            return Optional.empty();
        } catch (CosmosException e) {
            return Optional.of("Cosmos DB answered HTTP " + e.getStatusCode());
        } catch (RuntimeException e) {
            return Optional.of("Cosmos DB cannot be reached (" + e.getClass().getSimpleName() + ")");
        }
    }
}
