package dev.agentchat.adapter.memory.model;

import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.ports.chat.ModelFailure;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** One thing a scripted answer does, in order: send an item, wait, fail, or hang until closed or released. */
public sealed interface Cue {

    /** Sends one stream item. */
    record Send(ModelStreamItem item) implements Cue {
        public Send {
            Objects.requireNonNull(item, "item");
        }
    }

    /** Waits before the next cue, as a model thinking; closing the stream ends the wait at once. */
    record Pause(Duration duration) implements Cue {
        public Pause {
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** Fails the stream as a broken connection or a model error would. */
    record Fail(ModelFailure failure) implements Cue {
        public Fail {
            Objects.requireNonNull(failure, "failure");
        }
    }

    /** Sends nothing more until the stream is closed. */
    record Hang() implements Cue {
    }

    /**
     * Waits until {@code release} completes (or the stream is closed): a pause whose end the test
     * decides, so that a test need not guess how long its own steps take on a busy machine.
     */
    record Await(CompletionStage<?> release) implements Cue {
        public Await {
            Objects.requireNonNull(release, "release");
        }
    }
}
