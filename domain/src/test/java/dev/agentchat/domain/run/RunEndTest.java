package dev.agentchat.domain.run;

import static dev.agentchat.domain.Times.secondsAfterT0;
import static dev.agentchat.domain.run.TestRuns.aRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.usage.Usage;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RunEndTest {
    private static final Instant NOW = secondsAfterT0(9);
    private static final MessageId ANSWER = MessageId.of("msg-answer");
    private static final Usage USAGE = Usage.reported(40, 8);
    private static final RunFailure CUT = new RunFailure("max_output_tokens", "The answer was cut short.");
    private static final RunFailure DOWN = new RunFailure("model_error", "The model service did not answer.");

    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of(new RunOutcome.Complete("All done.", USAGE), RunStatus.COMPLETED, null),
                Arguments.of(new RunOutcome.EndIncomplete("All d", CUT, USAGE), RunStatus.INCOMPLETE, CUT),
                Arguments.of(new RunOutcome.Cancel("All", RunFailure.CANCELLED, USAGE), RunStatus.CANCELLED,
                        RunFailure.CANCELLED),
                Arguments.of(new RunOutcome.Fail("", DOWN, USAGE), RunStatus.FAILED, DOWN));
    }

    @ParameterizedTest
    @MethodSource("outcomes")
    void a_running_run_ends_as_its_outcome_says_with_the_stored_answer_and_usage(RunOutcome outcome, RunStatus status,
                                                                                RunFailure why) {
        // given
        Run running = aRun().running();

        // when
        Transition<Run> end = running.end(outcome, ANSWER, NOW);

        // then
        assertThat(end.state().status()).isEqualTo(status);
        assertThat(end.state().failure()).isEqualTo(why);
        assertThat(end.state().answerMessageId()).isEqualTo(ANSWER);
        assertThat(end.state().usage()).isEqualTo(USAGE);
        assertThat(end.state().endedAt()).isEqualTo(NOW);
        assertThat(end.events()).containsExactly(end.state().endEvent().orElseThrow());
        assertThat(end.events().getFirst()).isInstanceOf(status == RunStatus.COMPLETED ? ChatEvent.Done.class
                : ChatEvent.Error.class);
    }

    @Test
    void an_end_that_lost_to_a_cancel_request_ends_cancelled_with_the_answer_and_usage_it_has() {
        // given
        Run running = aRun().running();
        Run intended = running.end(new RunOutcome.Complete("All done.", USAGE), ANSWER, NOW).state();
        Run stored = running.requestCancel(secondsAfterT0(8)).state();

        // when
        Optional<Transition<Run>> instead = stored.endInsteadOf(intended, NOW);

        // then
        assertThat(instead).hasValueSatisfying(end -> {
            assertThat(end.state().status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(end.state().failure()).isEqualTo(RunFailure.CANCELLED);
            assertThat(end.state().answerMessageId()).isEqualTo(ANSWER);
            assertThat(end.state().usage()).isEqualTo(USAGE);
            assertThat(end.state().revision()).isEqualTo(stored.revision() + 1);
            assertThat(end.events()).containsExactly(new ChatEvent.Error(RunFailure.CANCELLED.message(),
                    RunFailure.CANCELLED.code(), NOW));
        });
    }

    @Test
    void an_end_that_lost_to_any_other_change_is_not_overruled() {
        // given
        Run running = aRun().running();
        Run intended = running.end(new RunOutcome.Fail("", DOWN, USAGE), null, NOW).state();
        Run endedElsewhere = running.abandon(null, secondsAfterT0(8)).state();

        // when
        Optional<Transition<Run>> overRunning = running.endInsteadOf(intended, NOW);
        Optional<Transition<Run>> overEnded = endedElsewhere.endInsteadOf(intended, NOW);

        // then
        assertThat(overRunning).isEmpty();
        assertThat(overEnded).isEmpty();
    }
}
