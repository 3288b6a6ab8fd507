package dev.agentchat.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageTest {

    @Test
    void usage_refuses_negative_prompt_tokens() {
        assertThatThrownBy(() -> Usage.reported(-1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt tokens");
    }

    @Test
    void usage_refuses_negative_completion_tokens() {
        assertThatThrownBy(() -> Usage.estimated(0, -5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("completion tokens");
    }

    @Test
    void no_usage_is_zero_tokens_as_reported() {
        assertThat(Usage.NONE).isEqualTo(new Usage(0, 0, false));
        assertThat(Usage.NONE.totalTokens()).isZero();
    }

    @Test
    void the_total_is_prompt_plus_completion_tokens() {
        assertThat(Usage.reported(1_200, 345).totalTokens()).isEqualTo(1_545);
    }

    @Test
    void adding_usages_adds_prompt_and_completion_tokens_separately() {
        // given
        Usage first = Usage.reported(100, 20);
        Usage second = Usage.reported(150, 35);

        // when
        Usage sum = first.plus(second);

        // then
        assertThat(sum).isEqualTo(Usage.reported(250, 55));
    }

    @ParameterizedTest(name = "{0} + {1} -> estimated {2}")
    @CsvSource({
            "false, false, false",
            "true,  false, true",
            "false, true,  true",
            "true,  true,  true"})
    void a_sum_is_estimated_if_either_part_was(boolean firstEstimated, boolean secondEstimated, boolean expected) {
        // given
        Usage first = new Usage(10, 1, firstEstimated);
        Usage second = new Usage(20, 2, secondEstimated);

        // when
        Usage sum = first.plus(second);

        // then
        assertThat(sum.estimated()).isEqualTo(expected);
        assertThat(sum.totalTokens()).isEqualTo(33);
    }
}
