package dev.agentchat.domain.approval;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.thread.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What became of one tool call the run waited on: approved (perhaps with arguments of the person's own),
 * denied with an optional reason, or left undecided until it expired. A call of one of the client's own
 * tools is approved with the {@code output} the client's tool gave, or denied when the client did not run it.
 *
 * @param reason    the person's words, for the model and the record (null for none)
 * @param arguments the JSON object text that replaces the model's arguments (null to keep them)
 * @param decidedBy who decided; null when the call expired undecided
 * @param expired   true when nobody decided in time, which counts as a denial
 * @param output    what the client's own tool gave, for a call of one the client ran (null otherwise)
 */
public record ApprovalDecision(boolean approved, String reason, String arguments, UserId decidedBy, Instant decidedAt,
                               boolean expired, String output) {
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
        if (output != null) {
            Require.maxLength(output, Step.MAX_PAYLOAD_LENGTH, "output");
            if (!approved || arguments != null) {
                throw new IllegalArgumentException("only a call the client ran, with the model's arguments, has an output");
            }
        }
    }

    /** A decision that reports no output of the client's. */
    public ApprovalDecision(boolean approved, String reason, String arguments, UserId decidedBy, Instant decidedAt,
                            boolean expired) {
        this(approved, reason, arguments, decidedBy, decidedAt, expired, null);
    }

    /** {@code user} approved the call, with {@code arguments} in place of the model's if not null. */
    public static ApprovalDecision approved(UserId user, String reason, String arguments, Instant now) {
        return new ApprovalDecision(true, reason, arguments, user, now, false);
    }

    /** {@code user} denied the call, saying {@code reason} (null for nothing). */
    public static ApprovalDecision denied(UserId user, String reason, Instant now) {
        return new ApprovalDecision(false, reason, null, user, now, false);
    }

    /**
     * {@code user}'s client ran the call of its own tool, which gave {@code output}: kept up to
     * {@link Step#MAX_PAYLOAD_LENGTH} characters, as every tool's output is.
     */
    public static ApprovalDecision ranByClient(UserId user, String reason, String output, Instant now) {
        return new ApprovalDecision(true, reason, null, user, now, false,
                Step.bounded(Objects.requireNonNull(output, "output"), Step.MAX_PAYLOAD_LENGTH));
    }

    /** No result came from the client for the call of its own tool within {@code waited}. */
    public static ApprovalDecision unanswered(Duration waited, Instant now) {
        return new ApprovalDecision(false, "The client gave no result for this tool call within " + waited.toSeconds()
                + " seconds.", null, null, now, true);
    }

    /** Nobody decided before the call expired, after {@code waited}. */
    public static ApprovalDecision expired(Duration waited, Instant now) {
        return new ApprovalDecision(false, "Nobody approved this tool call within " + waited.toSeconds()
                + " seconds, so it was not run.", null, null, now, true);
    }

    /** True when {@code other} decides the same: approved or not, with the same reason, arguments and output. */
    public boolean sameChoiceAs(ApprovalDecision other) {
        return approved == other.approved && Objects.equals(reason, other.reason)
                && Objects.equals(arguments, other.arguments) && expired == other.expired
                && Objects.equals(output, other.output);
    }

    /** The arguments the call runs with: the person's, if they gave any, else {@code modelArguments}. */
    public String argumentsOr(String modelArguments) {
        return arguments != null ? arguments : modelArguments;
    }

    /** What the model is told of a call that waited for approval and was not run. */
    public String forModel() {
        return forModel(false);
    }

    /**
     * What the model is told of a call that was not run; {@code clientSide} for a call of one of the
     * client's own tools, which the client, not a person approving, declined.
     */
    public String forModel(boolean clientSide) {
        if (expired) {
            return reason;
        }
        String why = reason == null || reason.isBlank() ? "" : ": " + reason;
        return (clientSide ? "The client did not run this tool call" : "The user denied this tool call") + why
                + ". Do not call it again unless asked.";
    }
}
