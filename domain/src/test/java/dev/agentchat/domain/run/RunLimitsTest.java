package dev.agentchat.domain.run;

import static dev.agentchat.domain.Times.secondsAfterT0;
import static dev.agentchat.domain.run.TestRuns.aRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.chat.Interruption;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunLimitsTest {
    private static final RunLimits LIMITS = new RunLimits(Duration.ofMinutes(10), Duration.ofSeconds(60));

    @Test
    void a_run_within_both_limits_goes_on() {
        assertThat(LIMITS.passedBy(Duration.ofMinutes(9), Optional.of(Duration.ofSeconds(59)))).isEmpty();
        assertThat(LIMITS.passedBy(Duration.ofMinutes(9), Optional.empty())).isEmpty();
    }

    @Test
    void a_run_at_its_longest_duration_ends_incomplete() {
        assertThat(LIMITS.passedBy(Duration.ofMinutes(10), Optional.empty()))
                .contains(Interruption.runTimedOut(Duration.ofMinutes(10)));
    }

    @Test
    void a_model_silent_for_its_idle_limit_fails_the_run() {
        assertThat(LIMITS.passedBy(Duration.ofMinutes(1), Optional.of(Duration.ofSeconds(60))))
                .contains(Interruption.modelTimedOut(Duration.ofSeconds(60)));
    }

    @Test
    void silence_counts_only_while_a_model_call_waits() {
        assertThat(LIMITS.passedBy(Duration.ofMinutes(5), Optional.empty())).isEmpty();
    }

    @Test
    void the_run_limit_comes_first_when_both_are_passed() {
        assertThat(LIMITS.passedBy(Duration.ofMinutes(11), Optional.of(Duration.ofMinutes(2))))
                .contains(Interruption.runTimedOut(Duration.ofMinutes(10)));
    }

    @Test
    void a_run_s_events_expire_only_once_it_has_ended_and_the_retention_has_passed() {
        Run ended = aRun().in(RunStatus.COMPLETED);
        Duration retention = Duration.ofHours(1);

        assertThat(ended.eventsExpired(retention, ended.endedAt().plus(retention))).isFalse();
        assertThat(ended.eventsExpired(retention, ended.endedAt().plus(retention).plusMillis(1))).isTrue();
        assertThat(aRun().running().eventsExpired(retention, secondsAfterT0(100_000))).as("a run going on keeps its events")
                .isFalse();
    }
}
