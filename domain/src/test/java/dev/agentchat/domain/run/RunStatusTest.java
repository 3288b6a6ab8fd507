package dev.agentchat.domain.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunStatusTest {

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = {"COMPLETED", "FAILED", "CANCELLED", "INCOMPLETE"})
    void an_ended_status_is_terminal_and_leads_nowhere(RunStatus ended) {
        assertThat(ended.isTerminal()).isTrue();
        assertThat(EnumSet.allOf(RunStatus.class)).noneMatch(ended::canMoveTo);
    }

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = {"QUEUED", "IN_PROGRESS", "CANCELLING", "REQUIRES_ACTION"})
    void a_status_before_the_end_is_not_terminal(RunStatus open) {
        assertThat(open.isTerminal()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(RunStatus.class)
    void no_status_moves_to_itself(RunStatus status) {
        assertThat(status.canMoveTo(status)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = {"QUEUED", "IN_PROGRESS", "CANCELLING"})
    void a_run_that_an_instance_works_on_is_working(RunStatus working) {
        assertThat(working.isWorking()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = {"REQUIRES_ACTION", "COMPLETED", "FAILED", "CANCELLED", "INCOMPLETE"})
    void a_run_waiting_for_a_person_or_ended_is_not_working(RunStatus idle) {
        assertThat(idle.isWorking()).isFalse();
    }

    @Test
    void a_working_run_may_pause_for_approval_and_only_a_working_run_may() {
        assertThat(EnumSet.allOf(RunStatus.class)).filteredOn(status -> status.canMoveTo(RunStatus.REQUIRES_ACTION))
                .containsExactly(RunStatus.IN_PROGRESS);
    }

    @Test
    void a_waiting_run_goes_on_or_ends_cancelled_or_incomplete_but_is_never_asked_to_stop() {
        assertThat(EnumSet.allOf(RunStatus.class)).filteredOn(RunStatus.REQUIRES_ACTION::canMoveTo)
                .containsExactly(RunStatus.IN_PROGRESS, RunStatus.CANCELLED, RunStatus.INCOMPLETE);
    }
}
