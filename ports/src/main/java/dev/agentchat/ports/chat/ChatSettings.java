package dev.agentchat.ports.chat;

import dev.agentchat.domain.run.ActiveRunLimit;
import dev.agentchat.domain.usage.PriceTable;
import java.time.Duration;
import java.util.Objects;

/**
 * How chat turns are run.
 *
 * @param maxModelCalls   how many times one run may call the model: each tool round costs one
 * @param toolTimeout     how long one tool call may take before it is stopped and reported as failed
 * @param prices          what each model's tokens cost
 * @param activeRunLimit  how many runs one user may have in progress at once on this instance
 * @param approvalTimeout how long a tool call waits for a person's approval before it counts as denied
 */
public record ChatSettings(int maxModelCalls, Duration toolTimeout, PriceTable prices, ActiveRunLimit activeRunLimit,
                           Duration approvalTimeout) {
    public static final int DEFAULT_MAX_MODEL_CALLS = 8;
    public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_ACTIVE_RUNS_PER_USER = ActiveRunLimit.DEFAULT_MAX;
    public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofSeconds(900);

    public ChatSettings {
        if (maxModelCalls < 1) {
            throw new IllegalArgumentException("a run needs at least one model call");
        }
        Objects.requireNonNull(toolTimeout, "toolTimeout");
        if (toolTimeout.isNegative() || toolTimeout.isZero()) {
            throw new IllegalArgumentException("the tool timeout must be positive");
        }
        Objects.requireNonNull(prices, "prices");
        Objects.requireNonNull(activeRunLimit, "activeRunLimit");
        Objects.requireNonNull(approvalTimeout, "approvalTimeout");
        if (approvalTimeout.isNegative() || approvalTimeout.isZero()) {
            throw new IllegalArgumentException("the approval timeout must be positive");
        }
    }

    /** Settings with the default approval timeout. */
    public ChatSettings(int maxModelCalls, Duration toolTimeout, PriceTable prices, ActiveRunLimit activeRunLimit) {
        this(maxModelCalls, toolTimeout, prices, activeRunLimit, DEFAULT_APPROVAL_TIMEOUT);
    }

    /** Settings with the default limit on a user's runs in progress. */
    public ChatSettings(int maxModelCalls, Duration toolTimeout, PriceTable prices) {
        this(maxModelCalls, toolTimeout, prices, ActiveRunLimit.of(DEFAULT_MAX_ACTIVE_RUNS_PER_USER));
    }

    public static ChatSettings defaults() {
        return new ChatSettings(DEFAULT_MAX_MODEL_CALLS, DEFAULT_TOOL_TIMEOUT, PriceTable.EMPTY);
    }

    /** The same settings, letting one user have at most {@code max} runs in progress at once. */
    public ChatSettings withMaxActiveRunsPerUser(int max) {
        return new ChatSettings(maxModelCalls, toolTimeout, prices, ActiveRunLimit.of(max), approvalTimeout);
    }

    /** The same settings, letting a tool call wait {@code timeout} for approval before it counts as denied. */
    public ChatSettings withApprovalTimeout(Duration timeout) {
        return new ChatSettings(maxModelCalls, toolTimeout, prices, activeRunLimit, timeout);
    }
}
