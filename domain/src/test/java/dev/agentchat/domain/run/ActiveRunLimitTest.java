package dev.agentchat.domain.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.refusal.Refusal;
import dev.agentchat.domain.refusal.TooManyActiveRuns;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ActiveRunLimitTest {
    private final ActiveRunLimit limit = new ActiveRunLimit(4, Duration.ofSeconds(5));

    @Test
    void a_user_below_the_limit_is_admitted_and_counted() {
        assertThat(limit.admit(0)).isEqualTo(1);
        assertThat(limit.admit(3)).isEqualTo(4);
    }

    @Test
    void a_user_at_the_limit_is_refused_with_the_limit_and_when_to_try_again() {
        assertThatThrownBy(() -> limit.admit(4))
                .isInstanceOfSatisfying(TooManyActiveRuns.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(Refusal.Kind.LIMITED);
                    assertThat(refused.limit()).isEqualTo(4);
                    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(5));
                });
    }

    @Test
    void a_user_past_the_limit_is_refused_too() {
        assertThatThrownBy(() -> limit.admit(7)).isInstanceOf(TooManyActiveRuns.class);
    }

    @Test
    void the_default_lets_a_user_have_four_runs_and_retry_after_a_few_seconds() {
        ActiveRunLimit defaults = ActiveRunLimit.of(ActiveRunLimit.DEFAULT_MAX);

        assertThat(defaults.max()).isEqualTo(4);
        assertThat(defaults.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void a_limit_must_allow_at_least_one_run_and_a_positive_wait() {
        assertThatThrownBy(() -> ActiveRunLimit.of(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ActiveRunLimit(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limit.admit(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
