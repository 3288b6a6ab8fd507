package dev.agentchat.domain.chat;

import dev.agentchat.domain.usage.Usage;
import java.util.List;
import java.util.Objects;

/**
 * How one model call ended: the model wants tools called before it answers on, or the run ends so.
 * Its answer and usage are this call's alone; the {@link ToolLoop} adds those of the calls before it.
 */
public sealed interface ModelCallOutcome extends StreamStep permits ModelCallOutcome.CallTools, RunOutcome {

    /** The answer text of this call. */
    String answer();

    /** The tokens (and cost) of this call. */
    Usage usage();

    /** The model wants these tools called, then to be asked again with their results. */
    record CallTools(String answer, List<ModelStreamItem.ToolCallRequest> calls, Usage usage) implements ModelCallOutcome {
        public CallTools {
            Objects.requireNonNull(answer, "answer");
            calls = List.copyOf(calls);
            Objects.requireNonNull(usage, "usage");
        }
    }
}
