package dev.agentchat.domain.chat;

import java.util.List;
import java.util.Objects;

/**
 * What one input did to a chat turn: the turn's next state, the events to emit, and what comes next:
 * a {@link StreamStep} after a stream item, a {@link ModelCallOutcome} after the end of the stream.
 *
 * @param <A> what the input can lead to
 */
public record TurnStep<A extends StreamStep>(ChatTurn turn, List<ChatEvent> events, A action) {
    public TurnStep {
        Objects.requireNonNull(turn, "turn");
        events = List.copyOf(events);
        Objects.requireNonNull(action, "action");
    }
}
