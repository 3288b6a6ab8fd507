package dev.agentchat.bootstrap;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something that happens on another thread (or in another process), failing after a bound. */
final class Await {
    private Await() {
    }

    static void until(BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not so within " + within);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
