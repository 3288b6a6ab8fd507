package dev.agentchat.domain.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.ModelCallOutcome;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.usage.Usage;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

    static Stream<Arguments> modelCallOutcomes() {
        RunFailure cut = new RunFailure("max_output_tokens", "The answer was cut short.");
        ModelStreamItem.ToolCallRequest call = new ModelStreamItem.ToolCallRequest("c1", "lookup", "{}");
        return Stream.of(
                Arguments.of(new RunOutcome.Complete("Hi", Usage.reported(10, 2)), StepStatus.COMPLETED, null),
                Arguments.of(new ModelCallOutcome.CallTools("", List.of(call), Usage.reported(10, 2)), StepStatus.COMPLETED, null),
                Arguments.of(new RunOutcome.EndIncomplete("Hi", cut, Usage.reported(10, 2)), StepStatus.COMPLETED, null),
                Arguments.of(new RunOutcome.Fail("Hi", RunFailure.fromModel("rate_limited", "Too many requests."),
                        Usage.reported(10, 2)), StepStatus.FAILED, "rate_limited"),
                Arguments.of(new RunOutcome.Cancel("Hi", RunFailure.CLIENT_DISCONNECTED, Usage.reported(10, 2)),
                        StepStatus.CANCELLED, "client_disconnected"));
    }

    @ParameterizedTest
    @MethodSource("modelCallOutcomes")
    void a_model_call_is_recorded_from_how_it_ended(ModelCallOutcome outcome, StepStatus status, String error) {
        // when
        Step step = Step.modelCall(StepId.of("m1"), RUN, THREAD, 2, "gpt-4o", outcome, T0, T0.plusMillis(300));

        // then
        assertThat(step.kind()).isEqualTo(StepKind.MODEL_CALL);
        assertThat(step.round()).isEqualTo(2);
        assertThat(step.status()).isEqualTo(status);
        assertThat(step.error()).isEqualTo(error);
        assertThat(step.usage()).isEqualTo(Usage.reported(10, 2));
        assertThat(step.latency().toMillis()).isEqualTo(300);
    }

    @Test
    void a_tool_that_fails_without_saying_why_is_reported_as_such() {
        // given
        Step begun = Step.begin(StepId.of("s1"), RUN, THREAD, "call_1", "lookup", "{}", T0).state();

        // when
        Transition<Step> silent = begun.toolFailed("  ", T0.plusMillis(5));
        Transition<Step> said = begun.toolFailed("not found", T0.plusMillis(5));

        // then
        assertThat(silent.state().status()).isEqualTo(StepStatus.FAILED);
        assertThat(silent.state().error()).isEqualTo("The tool failed without saying why.");
        assertThat(said.state().error()).isEqualTo("not found");
        assertThat(said.events()).singleElement().isInstanceOf(ChatEvent.TraceEnd.class);
    }

    @Test
    void a_tools_overlong_output_or_error_is_cut_to_what_a_step_holds() {
        // given
        Step begun = Step.begin(StepId.of("s1"), RUN, THREAD, "call_1", "lookup", "{}", T0).state();

        // when
        Step returned = begun.toolReturned("x".repeat(Step.MAX_PAYLOAD_LENGTH + 1), T0.plusMillis(5)).state();
        Step failed = begun.toolFailed("y".repeat(Step.MAX_ERROR_LENGTH + 1), T0.plusMillis(5)).state();

        // then
        assertThat(returned.status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(returned.output()).hasSize(Step.MAX_PAYLOAD_LENGTH).endsWith("characters]");
        assertThat(failed.error()).hasSize(Step.MAX_ERROR_LENGTH).endsWith("characters]");
        assertThat(begun.toolReturned("42", T0.plusMillis(5)).state().output()).isEqualTo("42");
    }

    @Test
    void overlong_tool_output_is_cut_and_says_where() {
        String cut = Step.bounded("x".repeat(500), 100);

        assertThat(cut).hasSize(100).endsWith("[cut at 100 characters]");
        assertThat(Step.bounded("short", 100)).isEqualTo("short");
    }
}
