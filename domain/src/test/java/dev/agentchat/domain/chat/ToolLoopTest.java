package dev.agentchat.domain.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.usage.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolLoopTest {
    private static final ModelStreamItem.ToolCallRequest CALL = new ModelStreamItem.ToolCallRequest("c1", "lookup", "{}");

    @Test
    void a_request_for_tools_becomes_a_round_of_tools_numbered_by_the_model_call() {
        ToolLoop.LoopStep step = ToolLoop.start(3).afterModelCall(new ModelCallOutcome.CallTools("Let me look. ", List.of(CALL),
                Usage.reported(10, 2)));

        assertThat(step.action()).isEqualTo(new ToolLoop.LoopAction.RunTools(1, "Let me look. ", List.of(CALL)));
        assertThat(step.loop().nextRound()).isEqualTo(2);
        assertThat(step.loop().answerSoFar()).isEqualTo("Let me look. ");
        assertThat(step.loop().usage()).isEqualTo(Usage.reported(10, 2));
    }

    @Test
    void the_final_answer_and_usage_add_up_every_model_call() {
        ToolLoop loop = ToolLoop.start(3)
                .afterModelCall(new ModelCallOutcome.CallTools("A. ", List.of(CALL), Usage.reported(10, 2))).loop();

        ToolLoop.LoopStep end = loop.afterModelCall(new RunOutcome.Complete("B.", Usage.reported(20, 3)));

        assertThat(end.action()).isEqualTo(new ToolLoop.LoopAction.End(new RunOutcome.Complete("A. B.", new Usage(30, 5, false))));
    }

    @Test
    void the_last_allowed_model_call_asking_for_tools_ends_the_run_incomplete() {
        ToolLoop loop = ToolLoop.start(2)
                .afterModelCall(new ModelCallOutcome.CallTools("1 ", List.of(CALL), Usage.reported(1, 1))).loop();

        ToolLoop.LoopStep step = loop.afterModelCall(new ModelCallOutcome.CallTools("2 ", List.of(CALL), Usage.reported(1, 1)));

        assertThat(step.action()).isInstanceOfSatisfying(ToolLoop.LoopAction.End.class, end ->
                assertThat(end.outcome()).isInstanceOfSatisfying(RunOutcome.EndIncomplete.class, cut -> {
                    assertThat(cut.answer()).isEqualTo("1 2 ");
                    assertThat(cut.reason().code()).isEqualTo("max_model_calls");
                    assertThat(cut.usage().totalTokens()).isEqualTo(4);
                }));
    }

    @Test
    void a_failure_or_cancellation_keeps_the_answer_of_earlier_model_calls() {
        ToolLoop loop = ToolLoop.start(3)
                .afterModelCall(new ModelCallOutcome.CallTools("Before. ", List.of(CALL), Usage.NONE)).loop();

        assertThat(loop.afterModelCall(new RunOutcome.Fail("half", RunFailure.STORE_ERROR, Usage.NONE)).action())
                .isEqualTo(new ToolLoop.LoopAction.End(new RunOutcome.Fail("Before. half", RunFailure.STORE_ERROR, Usage.NONE)));
        assertThat(loop.afterModelCall(new RunOutcome.Cancel("", RunFailure.CLIENT_DISCONNECTED, Usage.NONE)).action())
                .isEqualTo(new ToolLoop.LoopAction.End(new RunOutcome.Cancel("Before. ", RunFailure.CLIENT_DISCONNECTED, Usage.NONE)));
    }

    @Test
    void a_run_needs_at_least_one_model_call() {
        // A model call that has not ended cannot be passed at all: afterModelCall takes only how a call ended.
        assertThatThrownBy(() -> ToolLoop.start(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_resumed_loop_goes_on_from_the_paused_round_with_its_answer_and_usage_so_far() {
        // given a run paused after its second model call
        ToolLoop resumed = ToolLoop.resume(5, 2, "Checking. ", Usage.reported(100, 10));

        // when
        ToolLoop.LoopStep end = resumed.afterModelCall(new RunOutcome.Complete("Done.", Usage.reported(20, 3)));

        // then
        assertThat(resumed.nextRound()).isEqualTo(3);
        assertThat(resumed.answerSoFar()).isEqualTo("Checking. ");
        assertThat(end.action()).isEqualTo(new ToolLoop.LoopAction.End(
                new RunOutcome.Complete("Checking. Done.", new Usage(120, 13, false))));
    }

    @Test
    void a_resumed_loop_keeps_the_model_call_limit() {
        // given a run paused after its second of at most three model calls
        ToolLoop resumed = ToolLoop.resume(3, 2, "", Usage.NONE);

        // when
        ToolLoop.LoopStep step = resumed.afterModelCall(new ModelCallOutcome.CallTools("", List.of(CALL), Usage.NONE));

        // then
        assertThat(step.action()).isInstanceOfSatisfying(ToolLoop.LoopAction.End.class, end ->
                assertThat(end.outcome()).isInstanceOf(RunOutcome.EndIncomplete.class));
    }

    @Test
    void a_loop_resumed_past_a_lowered_limit_makes_its_next_model_call_its_last() {
        ToolLoop resumed = ToolLoop.resume(2, 4, "", Usage.NONE);

        assertThat(resumed.afterModelCall(new ModelCallOutcome.CallTools("", List.of(CALL), Usage.NONE)).action())
                .isInstanceOf(ToolLoop.LoopAction.End.class);
        assertThat(resumed.afterModelCall(new RunOutcome.Complete("ok", Usage.NONE)).action())
                .isInstanceOfSatisfying(ToolLoop.LoopAction.End.class, end ->
                        assertThat(end.outcome()).isInstanceOf(RunOutcome.Complete.class));
    }

    @Test
    void only_a_loop_that_made_a_model_call_can_be_resumed() {
        assertThatThrownBy(() -> ToolLoop.resume(3, 0, "", Usage.NONE)).isInstanceOf(IllegalArgumentException.class);
    }
}
