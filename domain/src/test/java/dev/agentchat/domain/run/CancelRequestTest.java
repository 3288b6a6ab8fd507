package dev.agentchat.domain.run;

import static dev.agentchat.domain.Times.secondsAfterT0;
import static dev.agentchat.domain.run.TestRuns.aRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.lifecycle.IllegalTransition;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CancelRequestTest {
    private static final Instant NOW = secondsAfterT0(30);

    @Test
    void a_running_run_accepts_the_request_and_moves_to_cancelling_silently() {
        // given
        Run running = aRun().running();

        // when
        CancelRequest request = running.cancelRequested(NOW);

        // then
        assertThat(request).isInstanceOfSatisfying(CancelRequest.Accepted.class, accepted -> {
            assertThat(accepted.transition().state().status()).isEqualTo(RunStatus.CANCELLING);
            assertThat(accepted.transition().state().revision()).isEqualTo(running.revision() + 1);
            assertThat(accepted.transition().events()).isEmpty();
        });
    }

    @Test
    void a_run_asked_to_stop_already_is_left_as_it_is() {
        // given
        Run cancelling = aRun().in(RunStatus.CANCELLING);

        // when
        CancelRequest request = cancelling.cancelRequested(NOW);

        // then
        assertThat(request).isEqualTo(new CancelRequest.AlreadyCancelling(cancelling));
    }

    @Test
    void a_run_waiting_for_approval_is_ended_by_whoever_cancels_it_as_no_instance_works_on_it() {
        // given
        Run waiting = aRun().in(RunStatus.REQUIRES_ACTION);

        // when
        CancelRequest request = waiting.cancelRequested(NOW);

        // then
        assertThat(request).isEqualTo(new CancelRequest.EndsWaiting(waiting));
    }

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = {"COMPLETED", "FAILED", "CANCELLED", "INCOMPLETE"})
    void a_run_that_has_ended_refuses_the_request(RunStatus ended) {
        // given
        Run finished = aRun().in(ended);

        // when
        CancelRequest request = finished.cancelRequested(NOW);

        // then
        assertThat(request).isEqualTo(new CancelRequest.Refused(finished));
    }

    @Test
    void a_queued_run_cannot_be_asked_to_stop_as_its_lifecycle_has_no_such_move() {
        Run queued = aRun().queued();

        assertThatThrownBy(() -> queued.cancelRequested(NOW)).isInstanceOf(IllegalTransition.class);
    }
}
