package dev.agentchat.domain.run;

import dev.agentchat.domain.lifecycle.Transition;
import java.util.Objects;

/** What a user's request to stop a run comes to, as {@link Run#cancelRequested} judges it. */
public sealed interface CancelRequest {

    /** The run was going: it is now asked to stop, and ends cancelled once its model call and tools are closed. */
    record Accepted(Transition<Run> transition) implements CancelRequest {
        public Accepted {
            Objects.requireNonNull(transition, "transition");
        }
    }

    /**
     * The run waits for approval, so no instance works on it: whoever cancels ends it, cancelled, with
     * its waiting calls and what it answered so far.
     */
    record EndsWaiting(Run waiting) implements CancelRequest {
        public EndsWaiting {
            Objects.requireNonNull(waiting, "waiting");
        }
    }

    /** The run was asked to stop already: asking again changes nothing. */
    record AlreadyCancelling(Run run) implements CancelRequest {
        public AlreadyCancelling {
            Objects.requireNonNull(run, "run");
        }
    }

    /** The run has ended, so there is nothing to stop. */
    record Refused(Run finished) implements CancelRequest {
        public Refused {
            Objects.requireNonNull(finished, "finished");
        }
    }
}
