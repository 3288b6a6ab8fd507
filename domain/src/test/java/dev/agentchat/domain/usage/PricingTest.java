package dev.agentchat.domain.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricingTest {
    private static final PriceTable PRICES = new PriceTable(Map.of(
            "gpt-4o", new Price(new BigDecimal("2.50"), new BigDecimal("10.00")),
            "gpt-4o-mini", new Price(new BigDecimal("0.15"), new BigDecimal("0.60"))));

    @Test
    void a_usage_costs_its_prompt_and_completion_tokens_at_the_models_prices() {
        Usage priced = PRICES.price(Usage.reported(1_000_000, 500_000), "gpt-4o");

        assertThat(priced.cost().usd()).isEqualByComparingTo("7.50");
    }

    @Test
    void a_dated_model_name_is_priced_by_the_longest_name_it_starts_with() {
        assertThat(PRICES.priceOf("gpt-4o-mini-2024-07-18")).contains(new Price(new BigDecimal("0.15"), new BigDecimal("0.60")));
        assertThat(PRICES.priceOf("gpt-4o-2024-08-06")).contains(new Price(new BigDecimal("2.50"), new BigDecimal("10.00")));
        assertThat(PRICES.priceOf("llama-3")).isEmpty();
        assertThat(PRICES.price(Usage.reported(10, 10), "llama-3").cost().isKnown()).isFalse();
    }

    @Test
    void an_unknown_cost_makes_a_total_unknown_and_a_sum_starts_from_zero() {
        Usage known = Usage.reported(10, 1).withCost(new Cost(new BigDecimal("0.01")));
        Usage unknown = Usage.reported(10, 1);

        assertThat(known.plus(known).cost().usd()).isEqualByComparingTo("0.02");
        assertThat(known.plus(unknown).cost().isKnown()).isFalse();
        assertThat(Usage.ZERO.plus(known)).isEqualTo(known);
        assertThat(known.plus(Usage.NONE).cost().isKnown()).as("a call that reported nothing").isFalse();
    }
}
