package dev.agentchat.domain.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunFailureTest {

    @Test
    void whatever_a_model_service_reports_becomes_a_valid_failure() {
        assertThat(RunFailure.fromModel(null, null)).isEqualTo(new RunFailure("model_error", "The model failed without saying why."));
        assertThat(RunFailure.fromModel(" ", "")).extracting(RunFailure::code).isEqualTo("model_error");
        assertThat(RunFailure.fromModel("rate_limited", "Slow down.")).isEqualTo(new RunFailure("rate_limited", "Slow down."));
        assertThat(RunFailure.fromModel("model_error", "x".repeat(10_000)).message())
                .hasSize(RunFailure.MAX_MESSAGE_LENGTH).endsWith("\u2026");
    }
}
