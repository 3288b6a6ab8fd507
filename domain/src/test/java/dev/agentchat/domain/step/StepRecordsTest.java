package dev.agentchat.domain.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.usage.Usage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StepRecordsTest {
    private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");
    private static final RunId RUN = RunId.of("run-1");
    private static final ThreadId THREAD = ThreadId.of("thread-1");

    @Test
    void a_tool_call_knows_its_round_and_its_place_among_the_calls() {
        Step step = Step.begin(StepId.of("s1"), RUN, THREAD, 2, 3, "call_9", "lookup", "{}", T0).state();

        assertThat(step.kind()).isEqualTo(StepKind.TOOL_CALL);
        assertThat(step.round()).isEqualTo(2);
        assertThat(step.position()).isEqualTo(3);
        assertThat(step.toolName()).isEqualTo("lookup");
    }

    @Test
    void the_model_is_told_a_tool_calls_output_or_its_error() {
        Step begun = Step.begin(StepId.of("s1"), RUN, THREAD, "call_1", "lookup", "{}", T0).state();

        assertThat(begun.complete("42", T0.plusMillis(5)).state().resultForModel()).isEqualTo("42");
        assertThat(begun.fail("not found", T0.plusMillis(5)).state().resultForModel()).isEqualTo("Error: not found");
        assertThat(begun.cancel("the client left", T0.plusMillis(5)).state().resultForModel()).isEqualTo("Error: the client left");
    }

    @Test
    void a_model_call_is_recorded_ended_with_its_usage_and_why_it_ended_early() {
        Step done = Step.modelCall(StepId.of("m1"), RUN, THREAD, 1, "gpt-4o", Usage.reported(10, 2), StepStatus.COMPLETED,
                null, T0, T0.plusMillis(700));
        Step cancelled = Step.modelCall(StepId.of("m2"), RUN, THREAD, 2, "gpt-4o", Usage.NONE, StepStatus.CANCELLED,
                "client_disconnected", T0, T0.plusMillis(10));

        assertThat(done.kind()).isEqualTo(StepKind.MODEL_CALL);
        assertThat(done.latency().toMillis()).isEqualTo(700);
        assertThat(done.usage().totalTokens()).isEqualTo(12);
        assertThat(cancelled.status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(cancelled.error()).isEqualTo("client_disconnected");
        assertThatThrownBy(() -> Step.modelCall(StepId.of("m3"), RUN, THREAD, 1, "gpt-4o", Usage.NONE, StepStatus.COMPLETED,
                "why", T0, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Step.modelCall(StepId.of("m4"), RUN, THREAD, 1, "gpt-4o", Usage.NONE, StepStatus.IN_PROGRESS,
                null, T0, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlong_tool_output_is_cut_and_says_where() {
        String cut = Step.bounded("x".repeat(500), 100);

        assertThat(cut).hasSize(100).endsWith("[cut at 100 characters]");
        assertThat(Step.bounded("short", 100)).isEqualTo("short");
    }
}
