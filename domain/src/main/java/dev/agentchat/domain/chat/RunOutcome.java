package dev.agentchat.domain.chat;

import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.usage.Usage;
import java.util.Objects;

/**
 * How a run ends: complete, or early (incomplete, cancelled or failed) keeping what was answered.
 * A model call may end with one ({@link ModelCallOutcome}); so may an interruption or a fault between
 * calls. {@link dev.agentchat.domain.run.Run#end} turns it into the run's last transition.
 */
public sealed interface RunOutcome extends ModelCallOutcome
        permits RunOutcome.Complete, RunOutcome.EndIncomplete, RunOutcome.Cancel, RunOutcome.Fail {

    /** This outcome with the answer and usage of the model calls before it put in front of its own. */
    RunOutcome after(String earlierAnswer, Usage earlierUsage);

    /** The run fails for {@code failure} instead (its answer could not be stored, say), keeping this answer and usage. */
    default Fail failedInstead(RunFailure failure) {
        return new Fail(answer(), failure, usage());
    }

    /** The answer is complete: store it and complete the run. */
    record Complete(String answer, Usage usage) implements RunOutcome {
        public Complete {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(usage, "usage");
        }

        @Override
        public Complete after(String earlierAnswer, Usage earlierUsage) {
            return new Complete(earlierAnswer + answer, earlierUsage.plus(usage));
        }
    }

    /** The answer stopped short but is usable (a limit cut it): store it as incomplete and end the run so. */
    record EndIncomplete(String answer, RunFailure reason, Usage usage) implements RunOutcome {
        public EndIncomplete {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(usage, "usage");
        }

        @Override
        public EndIncomplete after(String earlierAnswer, Usage earlierUsage) {
            return new EndIncomplete(earlierAnswer + answer, reason, earlierUsage.plus(usage));
        }
    }

    /** The run was stopped from outside: keep what was answered as incomplete and cancel the run. */
    record Cancel(String answer, RunFailure reason, Usage usage) implements RunOutcome {
        public Cancel {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(usage, "usage");
        }

        @Override
        public Cancel after(String earlierAnswer, Usage earlierUsage) {
            return new Cancel(earlierAnswer + answer, reason, earlierUsage.plus(usage));
        }
    }

    /** The run failed: keep what was answered as incomplete and fail the run. */
    record Fail(String answer, RunFailure failure, Usage usage) implements RunOutcome {
        public Fail {
            Objects.requireNonNull(answer, "answer");
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(usage, "usage");
        }

        @Override
        public Fail after(String earlierAnswer, Usage earlierUsage) {
            return new Fail(earlierAnswer + answer, failure, earlierUsage.plus(usage));
        }
    }
}
