package dev.agentchat.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import org.junit.jupiter.api.Test;

class ProgressTextTest {

    @Test
    void progress_reads_as_count_of_total_then_message() {
        assertThat(ProgressText.of(new ProgressNotification("t", 3.0, 10.0, "Downloading"))).isEqualTo("3/10 Downloading");
    }

    @Test
    void progress_without_a_total_or_message_is_its_count() {
        assertThat(ProgressText.of(new ProgressNotification("t", 3.0, null, null))).isEqualTo("3");
        assertThat(ProgressText.of(new ProgressNotification("t", 3.0, 10.0, " "))).isEqualTo("3/10");
        assertThat(ProgressText.of(new ProgressNotification("t", 0.0, null, "waiting"))).isEqualTo("0 waiting");
    }

    @Test
    void fractional_progress_keeps_its_fraction() {
        assertThat(ProgressText.of(new ProgressNotification("t", 0.25, 1.0, null))).isEqualTo("0.25/1");
    }
}
