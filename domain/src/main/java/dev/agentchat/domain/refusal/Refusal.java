package dev.agentchat.domain.refusal;

import java.util.Objects;

/**
 * A request the service refuses for a reason the caller can act on: what it names is missing, it
 * conflicts with the state of things, or it is not acceptable as sent. The set is closed so that
 * whoever answers a caller (the HTTP adapter's problems, say) switches over it without a default,
 * and a new refusal does not compile until it is given an answer. Failures that are not the caller's
 * doing (a store or model out of reach, a lost client) and broken invariants ({@code IllegalTransition})
 * are not refusals.
 */
public abstract sealed class Refusal extends RuntimeException permits AgentInactive, AgentNotFound, ApprovalConflict,
        ApprovalExpired, ClientToolClash, EventsExpired, InvalidApprovals,
        IdempotencyKeyReused, IdempotentRequestPending, InvalidAgent, RunFinished, RunNotFound, ServiceDraining,
        StaleAgentVersion, ThreadBusy, ThreadDeleted, ThreadNotFound, TooManyActiveRuns, UnknownEventId {
    private final Kind kind;

    protected Refusal(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** What kind of refusal this is, which is what an adapter needs to pick its answer's status. */
    public Kind kind() {
        return kind;
    }

    /** The reasons a request is refused, in the caller's terms. */
    public enum Kind {
        /** What the request names does not exist (for this caller). */
        NOT_FOUND,
        /** The request conflicts with the current state: it may succeed later, or after a fresh read. */
        CONFLICT,
        /** What the request names existed but is no longer kept. */
        GONE,
        /** The request itself is malformed: it names something that cannot exist. */
        INVALID,
        /** The request is well-formed, but what it asks for cannot be accepted. */
        UNPROCESSABLE,
        /** The caller has as much going on as it may have at once: the same request may succeed a little later. */
        LIMITED,
        /** This instance takes no new work now (it is stopping): the same request succeeds elsewhere, or later. */
        UNAVAILABLE
    }
}
