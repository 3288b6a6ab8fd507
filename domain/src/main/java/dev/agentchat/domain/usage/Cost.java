package dev.agentchat.domain.usage;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What model calls cost, in US dollars, or unknown when a model has no price in the price table.
 * Unknown absorbs: a total with an unpriced part is unknown, never a misleading partial sum.
 *
 * @param usd the amount, or null when unknown
 */
public record Cost(BigDecimal usd) {
    public static final Cost UNKNOWN = new Cost(null);
    public static final Cost ZERO = new Cost(BigDecimal.ZERO);

    public Cost {
        if (usd != null && usd.signum() < 0) {
            throw new IllegalArgumentException("a cost cannot be negative, was " + usd);
        }
    }

    public boolean isKnown() {
        return usd != null;
    }

    public Cost plus(Cost other) {
        Objects.requireNonNull(other, "other");
        return isKnown() && other.isKnown() ? new Cost(usd.add(other.usd)) : UNKNOWN;
    }
}
