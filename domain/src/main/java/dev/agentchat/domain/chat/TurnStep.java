package dev.agentchat.domain.chat;

import java.util.List;
import java.util.Objects;

/**
 * What one input did to a chat turn: the turn's next state, the events to emit, and what to do next.
 */
public record TurnStep(ChatTurn turn, List<ChatEvent> events, NextAction action) {
    public TurnStep {
        Objects.requireNonNull(turn, "turn");
        events = List.copyOf(events);
        Objects.requireNonNull(action, "action");
    }
}
