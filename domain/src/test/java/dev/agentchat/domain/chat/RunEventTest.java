package dev.agentchat.domain.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunEventTest {
    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    @Test
    void only_done_and_error_end_a_run() {
        assertThat(new RunEvent(1, new ChatEvent.Token("a", NOW)).isLast()).isFalse();
        assertThat(new RunEvent(2, new ChatEvent.Done(RunId.of("run-1"), ThreadId.of("thread-1"), MessageId.of("msg-1"),
                3, NOW)).isLast()).isTrue();
        assertThat(new RunEvent(2, new ChatEvent.Error("stopped", "cancelled", NOW)).isLast()).isTrue();
    }

    @Test
    void sequences_count_from_one() {
        // A heartbeat is no ChatEvent at all (it belongs to one HTTP connection), so no run event can hold one.
        assertThatThrownBy(() -> new RunEvent(0, new ChatEvent.Token("a", NOW))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RunEvent(1, new ChatEvent.Token("a", NOW)).sequence()).isEqualTo(1);
    }
}
