package dev.agentchat.domain.usage;

import dev.agentchat.domain.Require;

/**
 * Tokens a model call (or a whole run) consumed.
 *
 * @param promptTokens     tokens sent to the model
 * @param completionTokens tokens the model generated
 * @param estimated        true when counted locally rather than reported by the model service
 */
public record Usage(long promptTokens, long completionTokens, boolean estimated) {
    public static final Usage NONE = new Usage(0, 0, false);

    public Usage {
        Require.nonNegative(promptTokens, "prompt tokens");
        Require.nonNegative(completionTokens, "completion tokens");
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

    /** The sum of two usages; estimated if either part was. */
    public Usage plus(Usage other) {
        return new Usage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                estimated || other.estimated);
    }
}
