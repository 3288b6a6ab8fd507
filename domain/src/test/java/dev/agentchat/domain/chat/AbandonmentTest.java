package dev.agentchat.domain.chat;

import static dev.agentchat.domain.Times.T0;
import static dev.agentchat.domain.run.TestRuns.aRun;
import static dev.agentchat.domain.step.TestSteps.aStep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.run.TestRuns;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.step.StepStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbandonmentTest {
    private static final Instant NOW = T0.plusSeconds(3_600);
    private static final MessageId PARTIAL = MessageId.of("msg-partial");

    @Test
    void an_abandoned_run_fails_with_its_unfinished_steps_and_tells_of_both_past_every_reserved_id() {
        // given a run killed during its second tool call
        Run run = aRun().in(RunStatus.IN_PROGRESS);
        Step finished = aStep().withId("step-done").running().complete("42", T0.plusSeconds(2)).state();
        Step unfinished = aStep().withId("step-cut").running();

        // when
        Abandonment end = Abandonment.of(run, List.of(finished, unfinished), PARTIAL,
                EventIdReservation.fromLog(12, 12), NOW);

        // then
        assertThat(end.run().status()).isEqualTo(RunStatus.FAILED);
        assertThat(end.run().failure().code()).isEqualTo("run_abandoned");
        assertThat(end.run().answerMessageId()).isEqualTo(PARTIAL);
        assertThat(end.endedSteps()).singleElement().satisfies(step -> {
            assertThat(step.id()).isEqualTo(unfinished.id());
            assertThat(step.status()).isEqualTo(StepStatus.FAILED);
            assertThat(step.endedAt()).isEqualTo(NOW);
        });
        assertThat(end.events()).extracting(RunEvent::sequence)
                .containsExactly(EventIdReservation.BLOCK + 1, EventIdReservation.BLOCK + 2);
        assertThat(end.events().get(0).event()).isInstanceOfSatisfying(ChatEvent.TraceEnd.class,
                traceEnd -> assertThat(traceEnd.status()).isEqualTo("failed"));
        assertThat(end.events().get(1).event()).isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.code()).isEqualTo("run_abandoned"));
    }

    @Test
    void a_run_abandoned_while_being_cancelled_ends_cancelled_and_so_do_its_steps() {
        Run run = aRun().in(RunStatus.CANCELLING);

        Abandonment end = Abandonment.of(run, List.of(aStep().running()), null,
                EventIdReservation.fromLog(9_000, 10_000), NOW);

        assertThat(end.run().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(end.endedSteps()).extracting(Step::status).containsExactly(StepStatus.CANCELLED);
        assertThat(end.events().getFirst().sequence()).isEqualTo(10_001);
    }

    @Test
    void a_run_abandoned_after_its_resume_was_recorded_fails_the_calls_still_marked_waiting() {
        // given a run resumed (its decisions stored) whose instance died before it updated the waiting step
        Run resumed = TestRuns.approveAll(aRun().in(RunStatus.REQUIRES_ACTION), T0.plusSeconds(60)).state();
        Step stillWaiting = Step.awaitApproval(StepId.of("step-waiting"), resumed.id(), resumed.threadId(), 1, 0,
                "call-1", "calculator", "{}", T0.plusSeconds(900), T0.plusSeconds(5)).state();

        // when
        Abandonment end = Abandonment.of(resumed, List.of(stillWaiting), null, EventIdReservation.fromLog(12, 12), NOW);

        // then
        assertThat(end.run().status()).isEqualTo(RunStatus.FAILED);
        assertThat(end.run().approvals().decisions()).as("the decisions stay, so a repeated request is still known")
                .containsKey(stillWaiting.id());
        assertThat(end.endedSteps()).extracting(Step::status).containsExactly(StepStatus.FAILED);
    }
}
