package dev.agentchat.domain.chat;

import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.util.Objects;

/**
 * A run stopped from outside its model's answer, and how that ends it: a cancel (asked for, or
 * the client left under the cancel policy) ends it cancelled; the run's time limit ends it
 * incomplete, since what it answered is usable but cut; a model that fell silent fails it.
 */
public record Interruption(RunFailure reason, Ending ending) {

    /** How an interrupted run ends. */
    public enum Ending { CANCELLED, INCOMPLETE, FAILED }

    public Interruption {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(ending, "ending");
    }

    /** Someone asked the run to stop. */
    public static Interruption cancelled() {
        return new Interruption(RunFailure.CANCELLED, Ending.CANCELLED);
    }

    /** The run's only client left, and the policy is to stop paying for an answer nobody reads. */
    public static Interruption clientLeft() {
        return new Interruption(RunFailure.CLIENT_DISCONNECTED, Ending.CANCELLED);
    }

    /** The service is stopping: the run ends now rather than being left for recovery to find. */
    public static Interruption serviceStopping() {
        return new Interruption(RunFailure.SERVICE_STOPPING, Ending.FAILED);
    }

    /** The run reached its longest allowed duration. */
    public static Interruption runTimedOut(Duration limit) {
        return new Interruption(RunFailure.runTimeout(limit), Ending.INCOMPLETE);
    }

    /** The model sent nothing for too long. */
    public static Interruption modelTimedOut(Duration limit) {
        return new Interruption(RunFailure.modelTimeout(limit), Ending.FAILED);
    }

    /** How the run ends, keeping {@code answerSoFar}. */
    public RunOutcome outcome(String answerSoFar, Usage usage) {
        return switch (ending) {
            case CANCELLED -> new RunOutcome.Cancel(answerSoFar, reason, usage);
            case INCOMPLETE -> new RunOutcome.EndIncomplete(answerSoFar, reason, usage);
            case FAILED -> new RunOutcome.Fail(answerSoFar, reason, usage);
        };
    }
}
