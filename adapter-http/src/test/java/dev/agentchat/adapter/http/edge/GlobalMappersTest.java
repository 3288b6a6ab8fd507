package dev.agentchat.adapter.http.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderValues;
import org.junit.jupiter.api.Test;

/** The global mapper set at start-up maps what Helidon's own would: numbers, and booleans too. */
class GlobalMappersTest {
    @Test
    void headers_read_as_booleans_and_numbers_once_the_mapper_is_set() {
        GlobalMappers.pin();

        assertThat(HeaderValues.create("X-Flag", "true").asBoolean().get()).isTrue();
        assertThat(HeaderValues.create("X-Count", "42").asLong().get()).isEqualTo(42L);
        assertThat(HeaderValues.create("X-Ratio", "0.5").asDouble().get()).isEqualTo(0.5);
    }
}
