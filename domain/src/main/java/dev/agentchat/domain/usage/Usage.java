package dev.agentchat.domain.usage;

import dev.agentchat.domain.Require;
import java.util.Objects;

/**
 * What a model call (or a whole run) consumed: tokens, and what they cost.
 *
 * @param promptTokens     tokens sent to the model
 * @param completionTokens tokens the model generated
 * @param estimated        true when counted locally rather than reported by the model service
 * @param cost             what the tokens cost, or unknown
 */
public record Usage(long promptTokens, long completionTokens, boolean estimated, Cost cost) {
    /** Nothing reported: no tokens known, and so no cost either. */
    public static final Usage NONE = new Usage(0, 0, false, Cost.UNKNOWN);
    /** Nothing spent yet: the start of a sum. */
    public static final Usage ZERO = new Usage(0, 0, false, Cost.ZERO);

    public Usage {
        Require.nonNegative(promptTokens, "prompt tokens");
        Require.nonNegative(completionTokens, "completion tokens");
        Objects.requireNonNull(cost, "cost");
    }

    /** Tokens whose cost is not known (yet). */
    public Usage(long promptTokens, long completionTokens, boolean estimated) {
        this(promptTokens, completionTokens, estimated, Cost.UNKNOWN);
    }

    public static Usage reported(long promptTokens, long completionTokens) {
        return new Usage(promptTokens, completionTokens, false);
    }

    public static Usage estimated(long promptTokens, long completionTokens) {
        return new Usage(promptTokens, completionTokens, true);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    public Usage withCost(Cost newCost) {
        return new Usage(promptTokens, completionTokens, estimated, newCost);
    }

    /**
     * The sum of two usages: estimated if either part was, and of unknown cost if either part's cost
     * is unknown (a call that reported nothing cost something all the same). Sums start from {@link #ZERO}.
     */
    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                estimated || other.estimated, cost.plus(other.cost));
    }
}
