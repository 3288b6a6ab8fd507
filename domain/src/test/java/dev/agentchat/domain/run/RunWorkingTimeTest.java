package dev.agentchat.domain.run;

import static dev.agentchat.domain.Times.T0;
import static dev.agentchat.domain.Times.secondsAfterT0;
import static dev.agentchat.domain.run.TestRuns.aRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.lifecycle.IllegalTransition;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunWorkingTimeTest {
    private static final Duration LONGEST = Duration.ofMinutes(10);
    private static final Usage USAGE_SO_FAR = Usage.reported(300, 40);

    @Test
    void pausing_for_approval_adds_the_stretch_worked_keeps_the_usage_so_far_and_emits_nothing() {
        // given a run working since T0
        Run running = aRun().startedAt(T0).running();
        ApprovalRound round = TestRuns.waitingRound(secondsAfterT0(960));

        // when
        Transition<Run> paused = running.awaitApproval(round, USAGE_SO_FAR, secondsAfterT0(60));

        // then
        assertThat(paused.events()).isEmpty();
        Run waiting = paused.state();
        assertThat(waiting.status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(waiting.workedBefore()).isEqualTo(Duration.ofSeconds(60));
        assertThat(waiting.usage()).isEqualTo(USAGE_SO_FAR);
        assertThat(waiting.approvals()).isEqualTo(round);
        assertThat(waiting.endedAt()).isNull();
        assertThat(waiting.revision()).isEqualTo(running.revision() + 1);
    }

    @Test
    void a_second_pause_adds_only_the_stretch_since_the_resume() {
        // given a run that worked 60 s, waited, and was resumed at T0 + 600 s
        Run resumed = TestRuns.approveAll(aRun().startedAt(T0).running()
                .awaitApproval(TestRuns.waitingRound(secondsAfterT0(960)), USAGE_SO_FAR, secondsAfterT0(60)).state(),
                secondsAfterT0(600)).state();

        // when
        Run again = resumed.awaitApproval(TestRuns.waitingRound(secondsAfterT0(2_000)), USAGE_SO_FAR,
                secondsAfterT0(630)).state();

        // then
        assertThat(again.workedBefore()).isEqualTo(Duration.ofSeconds(90));
    }

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = {"IN_PROGRESS"}, mode = EnumSource.Mode.EXCLUDE)
    void only_a_run_in_progress_pauses_for_approval(RunStatus status) {
        // given
        Run run = aRun().in(status);

        // when / then
        assertThatThrownBy(() -> run.awaitApproval(TestRuns.waitingRound(secondsAfterT0(960)), USAGE_SO_FAR,
                secondsAfterT0(60)))
                .isInstanceOfSatisfying(IllegalTransition.class, e -> {
                    assertThat(e.from()).isEqualTo(status.name());
                    assertThat(e.to()).isEqualTo("REQUIRES_ACTION");
                });
    }

    @Test
    void a_working_run_has_worked_since_its_start_and_a_waiting_one_only_up_to_its_pause() {
        // given
        Run running = aRun().startedAt(T0).running();
        Run waiting = running.awaitApproval(TestRuns.waitingRound(secondsAfterT0(960)), USAGE_SO_FAR,
                secondsAfterT0(60)).state();

        // when / then
        assertThat(running.workedBy(secondsAfterT0(45))).isEqualTo(Duration.ofSeconds(45));
        assertThat(waiting.workedBy(secondsAfterT0(45_000))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void a_resumed_run_has_worked_its_earlier_stretches_and_the_current_one() {
        // given 60 s worked, a wait until T0 + 600 s
        Run resumed = resumedAfterWaiting();

        // when / then
        assertThat(resumed.workingSince()).isEqualTo(secondsAfterT0(600));
        assertThat(resumed.workedBy(secondsAfterT0(630))).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void an_ended_run_keeps_the_time_it_worked() {
        // given
        Run resumed = resumedAfterWaiting();

        // when
        Run completed = resumed.complete(TestRuns.ANSWER, TestRuns.USAGE, secondsAfterT0(610)).state();

        // then
        assertThat(completed.workedBefore()).isEqualTo(Duration.ofSeconds(70));
        assertThat(completed.workedBy(secondsAfterT0(9_999))).isEqualTo(Duration.ofSeconds(70));
        assertThat(completed.duration()).as("the API's duration stays wall-clock time").contains(Duration.ofSeconds(610));
    }

    @Test
    void a_run_waiting_for_approval_is_never_abandoned_however_long_it_waits() {
        // given
        Run waiting = aRun().startedAt(T0).running().awaitApproval(TestRuns.waitingRound(secondsAfterT0(960)),
                USAGE_SO_FAR, secondsAfterT0(60)).state();

        // when / then
        assertThat(waiting.isAbandoned(T0.plus(Duration.ofDays(3)), LONGEST)).isFalse();
    }

    @Test
    void working_time_across_a_pause_counts_towards_abandonment_but_the_wait_does_not() {
        // given a run that worked 60 s before its pause and was resumed at T0 + 600 s, after a 540 s wait
        Run resumed = resumedAfterWaiting();

        // when / then: 60 s + 540 s = 600 s of working time at T0 + 1140 s
        assertThat(resumed.isAbandoned(secondsAfterT0(1_140), LONGEST)).isFalse();
        assertThat(resumed.isAbandoned(secondsAfterT0(1_141), LONGEST)).isTrue();
    }

    @Test
    void a_run_cannot_wait_for_approval_without_what_it_waits_for_nor_have_worked_negative_time() {
        Run running = aRun().running();

        assertThatThrownBy(() -> new Run(running.id(), running.threadId(), running.agentId(), running.userId(), 1,
                RunStatus.REQUIRES_ACTION, running.requestMessageId(), null, Usage.NONE, null, running.createdAt(),
                running.startedAt(), null, 2, Duration.ZERO, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Run(running.id(), running.threadId(), running.agentId(), running.userId(), 1,
                RunStatus.IN_PROGRESS, running.requestMessageId(), null, Usage.NONE, null, running.createdAt(),
                running.startedAt(), null, 2, Duration.ofSeconds(-1), null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Run resumedAfterWaiting() {
        Run waiting = aRun().startedAt(T0).running().awaitApproval(TestRuns.waitingRound(secondsAfterT0(960)),
                USAGE_SO_FAR, secondsAfterT0(60)).state();
        return TestRuns.approveAll(waiting, secondsAfterT0(600)).state();
    }
}
