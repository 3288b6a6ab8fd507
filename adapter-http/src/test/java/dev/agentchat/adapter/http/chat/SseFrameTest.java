package dev.agentchat.adapter.http.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A chat event's SSE frame: its sequence as the id, its JSON as the one data line, an empty line after. */
class SseFrameTest {
    private static final Instant AT = Instant.parse("2026-01-01T09:00:00.123Z");

    @ParameterizedTest
    @ValueSource(longs = {1, 9, 10, 99, 100, 12_345, Long.MAX_VALUE})
    void the_id_line_carries_the_events_sequence_in_decimal(long sequence) {
        String frame = new String(SseChatEventSink.frame(new RunEvent(sequence, new ChatEvent.Token("Hi", AT))),
                StandardCharsets.UTF_8);

        assertThat(frame).isEqualTo("id:" + sequence + "\ndata: {\"type\":\"token\",\"content\":\"Hi\","
                + "\"timestamp\":\"2026-01-01T09:00:00.123Z\"}\n\n");
    }

    @Test
    void text_with_line_breaks_stays_on_the_one_data_line() {
        String frame = new String(SseChatEventSink.frame(new RunEvent(3, new ChatEvent.Token("a\nb\r\nc", AT))),
                StandardCharsets.UTF_8);

        assertThat(frame.split("\n", -1)).containsExactly("id:3",
                "data: {\"type\":\"token\",\"content\":\"a\\nb\\r\\nc\",\"timestamp\":\"2026-01-01T09:00:00.123Z\"}", "", "");
    }
}
