package dev.agentchat.domain.usage;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/** What a model charges per million input (prompt) and output (completion) tokens, in US dollars. */
public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public Price {
        Objects.requireNonNull(inputPerMillion, "inputPerMillion");
        Objects.requireNonNull(outputPerMillion, "outputPerMillion");
        if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
            throw new IllegalArgumentException("prices cannot be negative");
        }
    }

    /** The cost of the tokens in {@code usage}. */
    public Cost costOf(Usage usage) {
        BigDecimal input = inputPerMillion.multiply(BigDecimal.valueOf(usage.promptTokens()));
        BigDecimal output = outputPerMillion.multiply(BigDecimal.valueOf(usage.completionTokens()));
        return new Cost(input.add(output).divide(MILLION, MathContext.DECIMAL64).stripTrailingZeros());
    }
}
