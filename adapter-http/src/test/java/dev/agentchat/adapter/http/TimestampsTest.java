package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void timestamps_are_utc_with_exactly_three_fraction_digits() {
        assertThat(Timestamps.format(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000Z");
        assertThat(Timestamps.format(Instant.parse("2026-01-02T03:04:05.123456789Z"))).isEqualTo("2026-01-02T03:04:05.123Z");
    }

    @Test
    void consecutive_instants_in_and_across_seconds_format_as_the_formatter_would() {
        java.time.format.DateTimeFormatter reference = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        Instant start = Instant.parse("2026-12-31T23:59:58.990Z");
        for (int i = 0; i < 2_100; i += 7) {
            Instant at = start.plusMillis(i).plusNanos(999_999);
            assertThat(Timestamps.format(at)).isEqualTo(reference.format(at));
        }
    }
}
