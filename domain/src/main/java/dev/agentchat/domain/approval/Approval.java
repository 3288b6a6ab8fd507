package dev.agentchat.domain.approval;

import java.time.Instant;
import java.util.Objects;

/**
 * A tool call's approval, as its step records it: until when it could be decided, and the decision
 * once there is one.
 *
 * @param clientSide true for a call of one of the client's own tools, which waits for the client's result
 *                   rather than for a person's approval
 */
public record Approval(Instant expiresAt, ApprovalDecision decision, boolean clientSide) {
    public Approval {
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The approval of a call that waits for a person. */
    public Approval(Instant expiresAt, ApprovalDecision decision) {
        this(expiresAt, decision, false);
    }

    /** The same approval, decided so. */
    public Approval decided(ApprovalDecision made) {
        return new Approval(expiresAt, Objects.requireNonNull(made, "decision"), clientSide);
    }
}
