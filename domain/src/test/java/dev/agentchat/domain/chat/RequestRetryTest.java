package dev.agentchat.domain.chat;

import static dev.agentchat.domain.Times.secondsAfterT0;
import static dev.agentchat.domain.run.TestRuns.aRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunStatus;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RequestRetryTest {
    private static final Instant NOW = secondsAfterT0(600);

    @Test
    void the_same_request_again_follows_the_earlier_requests_run() {
        Run earlier = aRun().running();

        assertThat(RequestRetry.judge("digest-a", "digest-a", () -> Optional.of(earlier)))
                .isEqualTo(new RequestRetry.Follow(earlier));
    }

    @Test
    void a_key_sent_with_another_request_is_refused_as_reused_whatever_its_run() {
        assertThat(RequestRetry.judge("digest-a", "digest-b", () -> Optional.of(aRun().running())))
                .isInstanceOf(RequestRetry.KeyReused.class);
        assertThat(RequestRetry.judge("digest-a", "digest-b", Optional::empty))
                .isInstanceOf(RequestRetry.KeyReused.class);
    }

    @Test
    void a_reused_key_is_told_without_reading_the_earlier_run() {
        assertThat(RequestRetry.judge("digest-a", "digest-b", () -> {
            throw new AssertionError("the earlier run was read");
        })).isInstanceOf(RequestRetry.KeyReused.class);
    }

    @Test
    void the_same_request_before_its_run_is_stored_is_told_to_wait() {
        assertThat(RequestRetry.judge("digest-a", "digest-a", Optional::empty)).isInstanceOf(RequestRetry.Pending.class);
    }

    @Test
    void a_followed_run_that_completed_is_reported_answered() {
        Run completed = aRun().in(RunStatus.COMPLETED);

        assertThat(RequestRetry.ending(completed, NOW)).isEqualTo(new RequestRetry.Ending.Answered(completed));
    }

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = {"FAILED", "CANCELLED", "INCOMPLETE"})
    void a_followed_run_that_ended_otherwise_is_reported_as_it_ended(RunStatus status) {
        Run ended = aRun().in(status);

        assertThat(RequestRetry.ending(ended, NOW)).isEqualTo(new RequestRetry.Ending.Ended(ended));
    }

    @Test
    void a_followed_run_that_waits_for_approval_is_reported_waiting_however_long_it_waited() {
        Run waiting = aRun().in(RunStatus.REQUIRES_ACTION);

        assertThat(RequestRetry.ending(waiting, NOW.plusSeconds(86_400))).isEqualTo(new RequestRetry.Ending.Waiting(waiting));
    }

    @Test
    void a_followed_run_still_going_past_every_limit_is_reported_abandoned() {
        // given
        Run running = aRun().running();

        // when
        RequestRetry.Ending ending = RequestRetry.ending(running, NOW);

        // then
        assertThat(ending).isInstanceOfSatisfying(RequestRetry.Ending.Ended.class, ended -> {
            assertThat(ended.run().status()).isEqualTo(RunStatus.FAILED);
            assertThat(ended.run().failure()).isEqualTo(RunFailure.ABANDONED);
            assertThat(ended.run().endedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void a_followed_run_still_being_cancelled_past_every_limit_is_reported_cancelled() {
        Run cancelling = aRun().in(RunStatus.CANCELLING);

        assertThat(RequestRetry.ending(cancelling, NOW)).isInstanceOfSatisfying(RequestRetry.Ending.Ended.class,
                ended -> assertThat(ended.run().status()).isEqualTo(RunStatus.CANCELLED));
    }
}
