package dev.agentchat.ports.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.chat.ModelCallOutcome;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one rule by which every watcher tells an error from work that ended well. */
class OutcomeTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {"200, none", "404, none", "429, none", "500, 500", "503, 503"})
    void a_request_is_in_error_when_the_service_failed_it_not_when_the_client_did(int status, String expected) {
        assertThat(new Outcome.Responded(status, Optional.empty()).errorType()).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void a_model_call_is_in_error_when_it_failed_was_stopped_or_cut_by_the_service_not_when_it_answered() {
        assertThat(answered(new RunOutcome.Complete("hi", Usage.NONE))).isEmpty();
        assertThat(answered(new ModelCallOutcome.CallTools("", List.of(new ModelStreamItem.ToolCallRequest("c", "t", "{}")),
                Usage.NONE))).isEmpty();
        assertThat(answered(new RunOutcome.EndIncomplete("hi", new RunFailure("max_output_tokens", "The answer reached its token limit."), Usage.NONE)))
                .as("the model stopped at its token limit: an answer").isEmpty();
        assertThat(answered(new RunOutcome.EndIncomplete("hi", RunFailure.modelTimeout(Duration.ofSeconds(60)), Usage.NONE)))
                .contains("model_timeout");
        assertThat(answered(new RunOutcome.Fail("", RunFailure.fromModel("rate_limited", "Slow down."), Usage.NONE)))
                .contains("rate_limited");
        assertThat(answered(new RunOutcome.Cancel("", RunFailure.CANCELLED, Usage.NONE))).contains("cancelled");
    }

    @Test
    void work_ended_plainly_says_its_own_error() {
        assertThat(Outcome.DONE.errorType()).isEmpty();
        assertThat(Outcome.failed("tool_error").errorType()).contains("tool_error");
        assertThat(new Outcome.StoreEnded(Optional.of("429"), Optional.of(1.0)).errorType()).contains("429");
    }

    private static Optional<String> answered(ModelCallOutcome outcome) {
        return new Outcome.ModelAnswered(outcome, Optional.empty()).errorType();
    }
}
