package dev.agentchat.adapter.http.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The exact frame data of a heartbeat: the wire format clients parse. */
class HeartbeatTest {
    private static final Instant AT = Instant.parse("2026-11-25T06:25:49.7Z");

    @Test
    void a_heartbeat_carries_only_its_time() {
        assertThat(new String(new Heartbeat(AT).data(), StandardCharsets.UTF_8))
                .isEqualTo(" {\"type\":\"heartbeat\",\"timestamp\":\"2026-11-25T06:25:49.700Z\"}");
    }
}
