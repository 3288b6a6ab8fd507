package dev.agentchat.domain.chat;

import java.util.List;
import java.util.Objects;

/**
 * What one stream item did to a chat turn: the turn's next state, the events to emit, and whether to
 * keep streaming or how the model call ended.
 */
public record TurnStep(ChatTurn turn, List<ChatEvent> events, StreamStep action) {
    public TurnStep {
        Objects.requireNonNull(turn, "turn");
        events = List.copyOf(events);
        Objects.requireNonNull(action, "action");
    }
}
