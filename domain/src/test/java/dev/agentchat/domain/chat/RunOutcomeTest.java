package dev.agentchat.domain.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.usage.Usage;
import org.junit.jupiter.api.Test;

class RunOutcomeTest {
    private static final RunFailure CUT = new RunFailure("max_output_tokens", "The answer was cut short.");

    @Test
    void an_outcome_after_earlier_model_calls_puts_their_answer_and_usage_first_and_keeps_its_kind_and_reason() {
        // given
        String earlier = "Let me look. ";
        Usage earlierUsage = Usage.reported(10, 2);

        // when / then
        assertThat(new RunOutcome.Complete("Found it.", Usage.reported(20, 3)).after(earlier, earlierUsage))
                .isEqualTo(new RunOutcome.Complete("Let me look. Found it.", earlierUsage.plus(Usage.reported(20, 3))));
        assertThat(new RunOutcome.Complete("", Usage.reported(20, 3)).after(earlier, earlierUsage).usage().totalTokens())
                .isEqualTo(35);
        assertThat(new RunOutcome.EndIncomplete("Found", CUT, Usage.reported(20, 3)).after(earlier, earlierUsage))
                .isEqualTo(new RunOutcome.EndIncomplete("Let me look. Found", CUT, earlierUsage.plus(Usage.reported(20, 3))));
        assertThat(new RunOutcome.Cancel("", RunFailure.CANCELLED, Usage.NONE).after(earlier, earlierUsage))
                .isEqualTo(new RunOutcome.Cancel("Let me look. ", RunFailure.CANCELLED, earlierUsage.plus(Usage.NONE)));
        assertThat(new RunOutcome.Fail("F", RunFailure.STORE_ERROR, Usage.reported(1, 1)).after(earlier, earlierUsage))
                .isEqualTo(new RunOutcome.Fail("Let me look. F", RunFailure.STORE_ERROR, earlierUsage.plus(Usage.reported(1, 1))));
    }

    @Test
    void a_complete_answer_that_cannot_be_kept_fails_the_run_with_that_answer_and_usage() {
        // given
        RunOutcome complete = new RunOutcome.Complete("All done.", Usage.reported(20, 3));

        // when
        RunOutcome.Fail failed = complete.failedInstead(RunFailure.STORE_ERROR);

        // then
        assertThat(failed).isEqualTo(new RunOutcome.Fail("All done.", RunFailure.STORE_ERROR, Usage.reported(20, 3)));
    }
}
