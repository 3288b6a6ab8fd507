package dev.agentchat.domain.usage;

import java.util.Map;
import java.util.Optional;

/**
 * Prices by model name. A model is found by its exact name, else by the longest name that its name
 * starts with, so that {@code gpt-4o} also prices the dated {@code gpt-4o-2024-08-06} a service reports.
 */
public record PriceTable(Map<String, Price> prices) {
    public static final PriceTable EMPTY = new PriceTable(Map.of());

    public PriceTable {
        prices = Map.copyOf(prices);
    }

    public Optional<Price> priceOf(String model) {
        Price exact = prices.get(model);
        if (exact != null) {
            return Optional.of(exact);
        }
        String best = null;
        for (String name : prices.keySet()) {
            if (model.startsWith(name) && (best == null || name.length() > best.length())) {
                best = name;
            }
        }
        return Optional.ofNullable(best).map(prices::get);
    }

    /** The usage with its cost, as this table prices {@code model}; unknown when the model has no price. */
    public Usage price(Usage usage, String model) {
        return usage.withCost(priceOf(model).map(price -> price.costOf(usage)).orElse(Cost.UNKNOWN));
    }
}
