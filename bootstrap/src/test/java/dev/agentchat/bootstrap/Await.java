package dev.agentchat.bootstrap;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for something that happens on another thread (or in another process), failing after a bound. */
final class Await {
    private Await() {
    }

    static void until(BooleanSupplier condition, Duration within) {
        if (!read(condition::getAsBoolean, Boolean::booleanValue, within)) {
            throw new AssertionError("not so within " + within);
        }
    }

    /** Reads {@code value} until {@code done} holds of it or {@code within} has passed; the last value read. */
    static <T> T read(Supplier<T> value, Predicate<T> done, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        T read = value.get();
        while (!done.test(read) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            read = value.get();
        }
        return read;
    }
}
