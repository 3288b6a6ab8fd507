package dev.agentchat.domain.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
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
    @EnumSource(value = RunStatus.class, names = {"QUEUED", "IN_PROGRESS", "CANCELLING"})
    void a_status_before_the_end_is_not_terminal(RunStatus open) {
        assertThat(open.isTerminal()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(RunStatus.class)
    void no_status_moves_to_itself(RunStatus status) {
        assertThat(status.canMoveTo(status)).isFalse();
    }
}
