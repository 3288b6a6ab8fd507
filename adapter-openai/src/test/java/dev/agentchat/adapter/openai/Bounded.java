package dev.agentchat.adapter.openai;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs a piece of reading that might never return (the SDK's parse of some malformed chunks spins for
 * ever) on a daemon thread, and waits for it a bounded time: such a read fails its test, naming where it
 * spins, instead of hanging the build, and its thread, which nothing can stop, does not keep the JVM
 * alive. (JUnit's assertTimeoutPreemptively runs the work on a thread that is not a daemon.)
 */
final class Bounded {
    private Bounded() {
    }

    static <T> T within(Duration limit, String what, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().daemon().name("bounded-read").start(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String where = Arrays.stream(worker.getStackTrace()).limit(8).map(String::valueOf)
                    .collect(Collectors.joining("\n  at "));
            worker.interrupt();
            throw new AssertionError("reading " + what + " did not end within " + limit + "; it is at\n  at " + where);
        } catch (ExecutionException e) {
            throw new AssertionError("reading " + what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while reading " + what, e);
        }
    }
}
