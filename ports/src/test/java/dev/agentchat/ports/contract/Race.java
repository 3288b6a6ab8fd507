package dev.agentchat.ports.contract;

import dev.agentchat.ports.store.RecordConflict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Starts writers together, each on its own virtual thread, and reports how each one ended. */
final class Race {
    /** Far above what any store needs for a few hundred writes; only a deadlock gets here. */
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Race() {
    }

    /** How one writer ended: normally, or with what it threw. */
    record Outcome(Throwable failure) {
        boolean succeeded() {
            return failure == null;
        }

        boolean conflicted() {
            return failure instanceof RecordConflict;
        }
    }

    /** Runs every writer at once (one gate releases them all) and returns their outcomes in the writers' order. */
    static List<Outcome> run(List<Runnable> writers) {
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Runnable writer : writers) {
                futures.add(executor.submit(() -> {
                    gate.await();
                    writer.run();
                    return null;
                }));
            }
            gate.countDown();
            executor.shutdown();
            if (!executor.awaitTermination(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                throw new AssertionError("writers still running after " + LIMIT + ": does the store deadlock?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the writers", e);
        }
        return futures.stream().map(Race::outcome).toList();
    }

    private static Outcome outcome(Future<?> future) {
        try {
            future.get();
            return new Outcome(null);
        } catch (ExecutionException e) {
            return new Outcome(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while reading a writer's outcome", e);
        }
    }
}
