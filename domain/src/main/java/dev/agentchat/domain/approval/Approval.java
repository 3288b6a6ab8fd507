package dev.agentchat.domain.approval;

import java.time.Instant;
import java.util.Objects;

/**
 * A tool call's approval, as its step records it: until when it could be decided, and the decision
 * once there is one.
 */
public record Approval(Instant expiresAt, ApprovalDecision decision) {
    public Approval {
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The same approval, decided so. */
    public Approval decided(ApprovalDecision made) {
        return new Approval(expiresAt, Objects.requireNonNull(made, "decision"));
    }
}
