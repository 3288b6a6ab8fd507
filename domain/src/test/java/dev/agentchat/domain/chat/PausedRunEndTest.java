package dev.agentchat.domain.chat;

import static dev.agentchat.domain.Times.T0;
import static dev.agentchat.domain.run.TestRuns.aRun;
import static dev.agentchat.domain.step.TestSteps.aStep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.ApprovalVerdict;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.run.TestRuns;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PausedRunEndTest {
    private static final Instant NOW = T0.plusSeconds(3_600);
    private static final MessageId PARTIAL = MessageId.of("msg-partial");
    private static final RunFailure TIMEOUT = new RunFailure("run_timeout", "The run worked longer than allowed.");

    @Test
    void a_waiting_run_cancelled_ends_its_waiting_calls_then_itself_in_events_right_after_the_last_one() {
        // given a run that ran one call at once and waits for another
        Run waiting = aRun().in(RunStatus.REQUIRES_ACTION);
        Step ranAtOnce = aStep().withId("step-done").running().complete("12:00", T0.plusSeconds(2)).state();
        Step awaiting = awaiting("step-waiting");

        // when
        PausedRunEnd end = PausedRunEnd.cancelled(waiting, List.of(ranAtOnce, awaiting), PARTIAL, 12, NOW);

        // then
        assertThat(end.run().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(end.run().failure()).isEqualTo(RunFailure.CANCELLED);
        assertThat(end.run().answerMessageId()).isEqualTo(PARTIAL);
        assertThat(end.run().usage()).isEqualTo(waiting.usage());
        assertThat(end.run().endedAt()).isEqualTo(NOW);
        assertThat(end.endedSteps()).singleElement().satisfies(step -> {
            assertThat(step.id()).isEqualTo(awaiting.id());
            assertThat(step.status()).isEqualTo(StepStatus.CANCELLED);
            assertThat(step.error()).isEqualTo(PausedRunEnd.STEP_CANCELLED);
        });
        assertThat(end.events()).extracting(RunEvent::sequence)
                .containsExactly(13L, 14L);
        assertThat(end.events().get(0).event()).isInstanceOfSatisfying(ChatEvent.TraceEnd.class, traceEnd -> {
            assertThat(traceEnd.stepId()).isEqualTo(awaiting.id());
            assertThat(traceEnd.status()).isEqualTo("cancelled");
        });
        assertThat(end.events().get(1).event()).isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.code()).isEqualTo("cancelled"));
    }

    @Test
    void a_waiting_run_without_working_time_left_ends_incomplete_keeping_its_answer_so_far() {
        // given
        Run waiting = aRun().in(RunStatus.REQUIRES_ACTION);

        // when
        PausedRunEnd end = PausedRunEnd.outOfTime(waiting, TIMEOUT,
                List.of(awaiting("step-a"), awaiting("step-b")), PARTIAL, 10_000, NOW);

        // then
        assertThat(end.run().status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(end.run().failure()).isEqualTo(TIMEOUT);
        assertThat(end.run().answerMessageId()).isEqualTo(PARTIAL);
        assertThat(end.endedSteps()).extracting(Step::status).containsExactly(StepStatus.CANCELLED, StepStatus.CANCELLED);
        assertThat(end.endedSteps()).extracting(Step::error).containsOnly(PausedRunEnd.STEP_OUT_OF_TIME);
        assertThat(end.events()).extracting(RunEvent::sequence).containsExactly(10_001L, 10_002L, 10_003L);
        assertThat(end.events().getLast().event()).isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.code()).isEqualTo("run_timeout"));
    }

    @Test
    void a_waiting_run_ended_out_of_time_records_the_decisions_taken_on_the_run_and_on_each_call() {
        // given a run waiting for one call, and a decision taken on it
        Run waiting = aRun().in(RunStatus.REQUIRES_ACTION);
        ApprovalDecision yes = ApprovalDecision.approved(TestRuns.APPROVER, "fine", null, NOW);

        // when
        PausedRunEnd end = PausedRunEnd.outOfTime(waiting, TIMEOUT, Map.of(TestRuns.WAITING_STEP, yes),
                List.of(awaiting(TestRuns.WAITING_STEP.value())), PARTIAL, 0, NOW);

        // then the ended run knows the same decision again as a repeat
        assertThat(end.run().status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(end.run().revision()).isEqualTo(waiting.revision() + 1);
        assertThat(end.run().decide(Map.of(TestRuns.WAITING_STEP, yes), NOW.plusSeconds(1)))
                .isInstanceOf(ApprovalVerdict.Repeated.class);
        assertThat(end.endedSteps()).singleElement().satisfies(step -> {
            assertThat(step.status()).isEqualTo(StepStatus.CANCELLED);
            assertThat(step.approval().decision()).isEqualTo(yes);
        });
    }

    @Test
    void a_waiting_run_whose_agent_is_gone_ends_incomplete_saying_so() {
        Run waiting = aRun().in(RunStatus.REQUIRES_ACTION);

        PausedRunEnd end = PausedRunEnd.agentGone(waiting, Map.of(), List.of(awaiting(TestRuns.WAITING_STEP.value())),
                null, 0, NOW);

        assertThat(end.run().status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(end.run().failure()).isEqualTo(RunFailure.AGENT_NOT_FOUND);
        assertThat(end.endedSteps()).extracting(Step::error).containsExactly(PausedRunEnd.STEP_AGENT_GONE);
        assertThat(end.events().getLast().event()).isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.code()).isEqualTo("agent_not_found"));
    }

    @Test
    void only_a_waiting_run_is_ended_so() {
        Run running = aRun().running();

        assertThatThrownBy(() -> PausedRunEnd.cancelled(running, List.of(), null, 0, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IN_PROGRESS");
        assertThatThrownBy(() -> PausedRunEnd.outOfTime(running, TIMEOUT, List.of(), null, 0, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Step awaiting(String id) {
        return Step.awaitApproval(StepId.of(id), RunId.of("run-1"), ThreadId.of("thread-1"), 1, 1, "call-" + id,
                "calculator", "{}", NOW.minusSeconds(60), NOW.minusSeconds(960)).state();
    }
}
