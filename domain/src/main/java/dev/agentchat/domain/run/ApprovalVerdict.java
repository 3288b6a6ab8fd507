package dev.agentchat.domain.run;

import dev.agentchat.domain.lifecycle.Transition;
import java.util.Objects;

/**
 * What a person's decisions on a waiting run come to, as {@link Run#decide} judges them. Decisions
 * that cannot be accepted are refused by throwing ({@code InvalidApprovals}, {@code ApprovalConflict},
 * {@code ApprovalExpired}).
 */
public sealed interface ApprovalVerdict {

    /** The decisions are taken: the run goes on, with them recorded. */
    record Accepted(Transition<Run> transition) implements ApprovalVerdict {
        public Accepted {
            Objects.requireNonNull(transition, "transition");
        }
    }

    /** The same decisions were taken already: nothing changes, and the caller gets the run as it is. */
    record Repeated(Run run) implements ApprovalVerdict {
        public Repeated {
            Objects.requireNonNull(run, "run");
        }
    }
}
