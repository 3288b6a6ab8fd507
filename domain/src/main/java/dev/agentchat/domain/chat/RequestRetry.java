package dev.agentchat.domain.chat;

import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A chat request sent again under the idempotency key of an earlier one: what it gets, as
 * {@link #judge} decides. A true retry gets the earlier request's run, followed to its end, not a
 * second run; {@link #ending} says how that run is reported once followed.
 */
public sealed interface RequestRetry {

    /** The key came with a different request: a key names one request only. */
    record KeyReused() implements RequestRetry {
    }

    /** The earlier request's run is not stored yet: its set-up is still under way (or failed). */
    record Pending() implements RequestRetry {
    }

    /** The same request again: it follows the earlier request's run. */
    record Follow(Run run) implements RequestRetry {
        public Follow {
            Objects.requireNonNull(run, "run");
        }
    }

    /**
     * Judges a retry by what was asked: {@code heldFingerprint} is the digest of the request that holds
     * the key, {@code retryFingerprint} the retry's, {@code heldRun} reads the held request's run as
     * stored: only a true retry needs it, so a reused key is told without a read.
     */
    static RequestRetry judge(String heldFingerprint, String retryFingerprint, Supplier<Optional<Run>> heldRun) {
        if (!heldFingerprint.equals(retryFingerprint)) {
            return new KeyReused();
        }
        return heldRun.get().<RequestRetry>map(Follow::new).orElseGet(Pending::new);
    }

    /** How a followed run is reported to the retry: answered, or ended otherwise. */
    sealed interface Ending {
        record Answered(Run run) implements Ending {
        }

        /** The run ended without an answer, or only a partial one. */
        record Ended(Run run) implements Ending {
        }

        /** The run waits for a person to approve its tool calls. */
        record Waiting(Run run) implements Ending {
        }
    }

    /** How {@code followed}, as it was when following it stopped, is reported at {@code now}. */
    static Ending ending(Run followed, Instant now) {
        if (followed.status() == RunStatus.COMPLETED) {
            return new Ending.Answered(followed);
        }
        if (followed.status() == RunStatus.REQUIRES_ACTION) {
            return new Ending.Waiting(followed);
        }
        if (!followed.status().isTerminal()) {
            // Still running past every limit: it is reported as what it will be found to be, abandoned.
            return new Ending.Ended(followed.abandon(followed.answerMessageId(), now).state());
        }
        return new Ending.Ended(followed);
    }
}
