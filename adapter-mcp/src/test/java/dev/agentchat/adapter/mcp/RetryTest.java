package dev.agentchat.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentchat.ports.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** How long the tools wait between attempts to reach a server that is down, read from the clock they wait on. */
class RetryTest {

    /** A clock whose waits end only when the test lets them, and which remembers how long each was. */
    private static final class GatedClock implements Clock {
        final List<Duration> waits = new CopyOnWriteArrayList<>();
        final Semaphore gate = new Semaphore(0);

        @Override
        public Instant now() {
            return Instant.EPOCH;
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            waits.add(duration);
            gate.acquire();
        }
    }

    @Test
    void a_server_that_stays_down_is_tried_again_after_waits_doubling_from_1_second_to_60() {
        // given
        GatedClock clock = new GatedClock();
        McpServer down = new McpServer.Stdio("down", "/nonexistent/agentchat-no-such-server", List.of(), Map.of());

        try (McpTools tools = McpTools.connect(new McpServers(List.of(down)), clock)) {
            // when: each wait ends, and the attempt after it fails too
            for (int attempt = 1; attempt < 9; attempt++) {
                int waited = attempt;
                await().atMost(Duration.ofSeconds(10)).until(() -> clock.waits.size() == waited);
                clock.gate.release();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> clock.waits.size() == 9);

            // then
            assertThat(clock.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                    Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(32), Duration.ofSeconds(60),
                    Duration.ofSeconds(60), Duration.ofSeconds(60));
            assertThat(tools.sources().getFirst().problem()).hasValueSatisfying(problem -> assertThat(problem).contains("agentchat-no-such-server"));
        }
    }
}
