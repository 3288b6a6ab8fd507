package dev.agentchat.domain.step;

import static dev.agentchat.domain.Times.T0;
import static dev.agentchat.domain.Times.millisAfterT0;
import static dev.agentchat.domain.step.TestSteps.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.lifecycle.IllegalTransition;
import dev.agentchat.domain.lifecycle.Transition;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StepLifecycleTest {

    @Test
    void beginning_a_tool_call_emits_trace_start_with_the_step_tool_and_arguments() {
        // given
        Instant now = millisAfterT0(10);

        // when
        Transition<Step> begun = aStep().withId("step-7").callingTool("search", "{\"q\":\"fjords\"}")
                .startedAt(now).begin();

        // then
        assertThat(begun.events()).containsExactly(
                new ChatEvent.TraceStart(StepId.of("step-7"), "search", "{\"q\":\"fjords\"}", now));
        Step step = begun.state();
        assertThat(step.status()).isEqualTo(StepStatus.IN_PROGRESS);
        assertThat(step.startedAt()).isEqualTo(now);
        assertThat(step.endedAt()).isNull();
        assertThat(step.output()).isNull();
        assertThat(step.error()).isNull();
    }

    @Test
    void completing_a_step_emits_trace_end_completed_with_the_output_and_the_latency_in_millis() {
        // given
        Step running = aStep().withId("step-7").startedAt(T0).running();
        Instant now = millisAfterT0(1_537);

        // when
        Transition<Step> completed = running.complete("{\"temp\":4}", now);

        // then
        assertThat(completed.events()).containsExactly(
                new ChatEvent.TraceEnd(StepId.of("step-7"), "completed", "{\"temp\":4}", null, 1_537, now));
        assertThat(completed.state().status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(completed.state().output()).isEqualTo("{\"temp\":4}");
        assertThat(completed.state().endedAt()).isEqualTo(now);
    }

    @Test
    void failing_a_step_emits_trace_end_failed_with_the_error_and_no_output() {
        // given
        Step running = aStep().withId("step-7").startedAt(T0).running();
        Instant now = millisAfterT0(250);

        // when
        Transition<Step> failed = running.fail("weather service timed out", now);

        // then
        assertThat(failed.events()).containsExactly(
                new ChatEvent.TraceEnd(StepId.of("step-7"), "failed", null, "weather service timed out", 250, now));
        assertThat(failed.state().status()).isEqualTo(StepStatus.FAILED);
        assertThat(failed.state().error()).isEqualTo("weather service timed out");
        assertThat(failed.state().output()).isNull();
    }

    @Test
    void cancelling_a_step_emits_trace_end_cancelled_with_the_reason() {
        // given
        Step running = aStep().withId("step-7").startedAt(T0).running();
        Instant now = millisAfterT0(90);

        // when
        Transition<Step> cancelled = running.cancel("run cancelled", now);

        // then
        assertThat(cancelled.events()).containsExactly(
                new ChatEvent.TraceEnd(StepId.of("step-7"), "cancelled", null, "run cancelled", 90, now));
        assertThat(cancelled.state().status()).isEqualTo(StepStatus.CANCELLED);
    }

    @Test
    void reporting_progress_emits_trace_update_and_leaves_the_step_unchanged() {
        // given
        Step running = aStep().withId("step-7").running();
        Instant now = millisAfterT0(400);

        // when
        Transition<Step> reported = running.report("fetched 3 of 5 pages", now);

        // then
        assertThat(reported.events()).containsExactly(
                new ChatEvent.TraceUpdate(StepId.of("step-7"), "fetched 3 of 5 pages", now));
        assertThat(reported.state()).isEqualTo(running);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "\n"})
    void a_step_cannot_fail_without_saying_why(String blank) {
        // given
        Step running = aStep().running();

        // when / then
        assertThatThrownBy(() -> running.fail(blank, millisAfterT0(5))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} then {2}")
    @MethodSource("endedStepsAndFurtherMoves")
    void an_ended_step_refuses_any_further_transition(
            String endedHow, BiFunction<Step, Instant, Transition<Step>> end,
            String moveName, BiFunction<Step, Instant, Transition<Step>> move) {
        // given
        Step ended = end.apply(aStep().running(), millisAfterT0(100)).state();

        // when / then
        assertThatThrownBy(() -> move.apply(ended, millisAfterT0(200)))
                .isInstanceOf(IllegalTransition.class)
                .hasMessageContaining(ended.status().name());
    }

    @Test
    void completing_a_failed_step_is_refused_naming_both_statuses() {
        // given
        Step failed = aStep().withId("step-3").running().fail("boom", millisAfterT0(1)).state();

        // when / then
        assertThatThrownBy(() -> failed.complete("late output", millisAfterT0(2)))
                .isInstanceOfSatisfying(IllegalTransition.class, e -> {
                    assertThat(e.from()).isEqualTo("FAILED");
                    assertThat(e.to()).isEqualTo("COMPLETED");
                })
                .hasMessageContaining("step-3")
                .hasMessageContaining("FAILED")
                .hasMessageContaining("COMPLETED");
    }

    static Stream<Arguments> endedStepsAndFurtherMoves() {
        Stream.Builder<Arguments> cases = Stream.builder();
        Object[][] ends = {
                {"completed", (BiFunction<Step, Instant, Transition<Step>>) (s, t) -> s.complete("ok", t)},
                {"failed", (BiFunction<Step, Instant, Transition<Step>>) (s, t) -> s.fail("boom", t)},
                {"cancelled", (BiFunction<Step, Instant, Transition<Step>>) (s, t) -> s.cancel("stop", t)},
        };
        Object[][] moves = {
                {"complete", (BiFunction<Step, Instant, Transition<Step>>) (s, t) -> s.complete("again", t)},
                {"fail", (BiFunction<Step, Instant, Transition<Step>>) (s, t) -> s.fail("again", t)},
                {"cancel", (BiFunction<Step, Instant, Transition<Step>>) (s, t) -> s.cancel("again", t)},
                {"report", (BiFunction<Step, Instant, Transition<Step>>) (s, t) -> s.report("still going", t)},
        };
        for (Object[] end : ends) {
            for (Object[] move : moves) {
                cases.add(Arguments.of(end[0], end[1], move[0], move[1]));
            }
        }
        return cases.build();
    }
}
