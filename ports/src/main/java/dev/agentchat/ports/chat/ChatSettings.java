package dev.agentchat.ports.chat;

import dev.agentchat.domain.usage.PriceTable;
import java.time.Duration;
import java.util.Objects;

/**
 * How chat turns are run.
 *
 * @param maxModelCalls how many times one run may call the model: each tool round costs one
 * @param toolTimeout   how long one tool call may take before it is stopped and reported as failed
 * @param prices        what each model's tokens cost
 */
public record ChatSettings(int maxModelCalls, Duration toolTimeout, PriceTable prices) {
    public static final int DEFAULT_MAX_MODEL_CALLS = 8;
    public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(30);

    public ChatSettings {
        if (maxModelCalls < 1) {
            throw new IllegalArgumentException("a run needs at least one model call");
        }
        Objects.requireNonNull(toolTimeout, "toolTimeout");
        if (toolTimeout.isNegative() || toolTimeout.isZero()) {
            throw new IllegalArgumentException("the tool timeout must be positive");
        }
        Objects.requireNonNull(prices, "prices");
    }

    public static ChatSettings defaults() {
        return new ChatSettings(DEFAULT_MAX_MODEL_CALLS, DEFAULT_TOOL_TIMEOUT, PriceTable.EMPTY);
    }
}
