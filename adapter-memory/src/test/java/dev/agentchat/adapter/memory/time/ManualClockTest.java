package dev.agentchat.adapter.memory.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.ports.time.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));

    @Test
    void moving_it_moves_the_date_and_the_interval_reading_together() {
        long before = clock.nanoTime();

        clock.advance(Duration.ofMillis(1_500));

        assertThat(clock.now()).isEqualTo(Instant.parse("2026-03-01T12:00:01.500Z"));
        assertThat(clock.nanoTime() - before).isEqualTo(Duration.ofMillis(1_500).toNanos());
    }

    @Test
    void a_wait_ends_when_the_clock_reaches_its_deadline_and_not_before() {
        Signal signal = clock.newSignal();
        long deadline = clock.nanoTime() + Duration.ofSeconds(30).toNanos();
        CompletableFuture<Boolean> waited = onItsOwnThread(() -> signal.awaitUntil(() -> false, deadline));
        await().atMost(PATIENCE).until(() -> clock.waiting() == 1);

        clock.advance(Duration.ofSeconds(29));
        await().atMost(PATIENCE).until(() -> clock.waiting() == 1);
        assertThat(waited).isNotDone();
        clock.advance(Duration.ofSeconds(1));

        assertThat(waited).succeedsWithin(PATIENCE).isEqualTo(false);
        assertThat(clock.waiting()).isZero();
    }

    @Test
    void a_wait_ends_when_its_condition_is_signalled_before_the_deadline() {
        Signal signal = clock.newSignal();
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Boolean> waited = onItsOwnThread(() -> signal.awaitUntil(done::get, clock.nanoTime() + 1));
        await().atMost(PATIENCE).until(() -> clock.waiting() == 1);

        done.set(true);
        signal.signal();

        assertThat(waited).succeedsWithin(PATIENCE).isEqualTo(true);
    }

    @Test
    void a_sleep_lasts_until_the_clock_has_moved_its_length() {
        CompletableFuture<Boolean> slept = onItsOwnThread(() -> {
            clock.sleep(Duration.ofMinutes(5));
            return true;
        });
        await().atMost(PATIENCE).until(() -> clock.waiting() == 1);

        clock.advance(Duration.ofMinutes(4));
        await().atMost(PATIENCE).until(() -> clock.waiting() == 1);
        assertThat(slept).isNotDone();
        clock.advance(Duration.ofMinutes(1));

        assertThat(slept).succeedsWithin(PATIENCE).isEqualTo(true);
    }

    @FunctionalInterface
    private interface Wait {
        boolean run() throws InterruptedException;
    }

    private static CompletableFuture<Boolean> onItsOwnThread(Wait wait) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(wait.run());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }
}
