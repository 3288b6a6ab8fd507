package dev.agentchat.domain.approval;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.thread.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What became of one tool call that needed a person's approval: approved (perhaps with arguments of
 * the person's own), denied with an optional reason, or left undecided until it expired.
 *
 * @param reason    the person's words, for the model and the record (null for none)
 * @param arguments the JSON object text that replaces the model's arguments (null to keep them)
 * @param decidedBy who decided; null when the call expired undecided
 * @param expired   true when nobody decided in time, which counts as a denial
 */
public record ApprovalDecision(boolean approved, String reason, String arguments, UserId decidedBy, Instant decidedAt,
                               boolean expired) {
    public static final int MAX_REASON_LENGTH = 2_000;

    public ApprovalDecision {
        Require.maxLength(reason, MAX_REASON_LENGTH, "reason");
        if (arguments != null) {
            Require.nonBlank(arguments, "arguments");
            Require.maxLength(arguments, Step.MAX_PAYLOAD_LENGTH, "arguments");
        }
        Objects.requireNonNull(decidedAt, "decidedAt");
        if (expired && (approved || decidedBy != null || arguments != null)) {
            throw new IllegalArgumentException("an expired call was decided by nobody and is not run");
        }
        if (!expired && decidedBy == null) {
            throw new IllegalArgumentException("a decision names who made it");
        }
        if (!approved && arguments != null) {
            throw new IllegalArgumentException("a denied call is not run, so it takes no arguments");
        }
    }

    /** {@code user} approved the call, with {@code arguments} in place of the model's if not null. */
    public static ApprovalDecision approved(UserId user, String reason, String arguments, Instant now) {
        return new ApprovalDecision(true, reason, arguments, user, now, false);
    }

    /** {@code user} denied the call, saying {@code reason} (null for nothing). */
    public static ApprovalDecision denied(UserId user, String reason, Instant now) {
        return new ApprovalDecision(false, reason, null, user, now, false);
    }

    /** Nobody decided before the call expired, after {@code waited}. */
    public static ApprovalDecision expired(Duration waited, Instant now) {
        return new ApprovalDecision(false, "Nobody approved this tool call within " + waited.toSeconds()
                + " seconds, so it was not run.", null, null, now, true);
    }

    /** True when {@code other} decides the same: approved or not, with the same reason and arguments. */
    public boolean sameChoiceAs(ApprovalDecision other) {
        return approved == other.approved && Objects.equals(reason, other.reason)
                && Objects.equals(arguments, other.arguments) && expired == other.expired;
    }

    /** The arguments the call runs with: the person's, if they gave any, else {@code modelArguments}. */
    public String argumentsOr(String modelArguments) {
        return arguments != null ? arguments : modelArguments;
    }

    /** What the model is told of a call that was not run. */
    public String forModel() {
        if (expired) {
            return reason;
        }
        return "The user denied this tool call" + (reason == null || reason.isBlank() ? "" : ": " + reason)
                + ". Do not call it again unless asked.";
    }
}
