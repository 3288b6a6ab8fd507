package dev.agentchat.bootstrap;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for something that happens on another thread (or in another process), failing after a bound.
 * Conditions are read on the waiting thread itself: Awaitility would otherwise start a thread of its own
 * for them, which a test that counts the threads alive would see.
 */
final class Await {
    private static final Duration POLL = Duration.ofMillis(20);

    private Await() {
    }

    static void until(BooleanSupplier condition, Duration within) {
        await().atMost(within).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(POLL).until(condition::getAsBoolean);
    }

    /** Reads {@code value} until {@code done} holds of it or {@code within} has passed; the last value read. */
    static <T> T read(Supplier<T> value, Predicate<T> done, Duration within) {
        try {
            return await().atMost(within).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(POLL).until(value::get, done);
        } catch (ConditionTimeoutException e) {
            return value.get();   // the caller's assertions say what is wrong with it
        }
    }
}
