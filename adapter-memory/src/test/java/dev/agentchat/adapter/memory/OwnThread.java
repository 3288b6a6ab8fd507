package dev.agentchat.adapter.memory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Runs a call on a thread of its own, for tests on a clock that moves only when they move it. */
final class OwnThread {
    private OwnThread() {
    }

    /**
     * What {@code action} gives, or throws, on a thread of its own, within {@code patience}: a wait on a still
     * clock fails the test rather than hanging it.
     */
    static <T> T within(Duration patience, Supplier<T> action) {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(action, runnable -> Thread.ofVirtual().start(runnable));
        try {
            return result.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException thrown) {
                throw thrown;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("no answer within " + patience, e);
        }
    }
}
