package dev.agentchat.domain.chat;

import java.util.List;
import java.util.Objects;

/**
 * What the end of the model's stream did to a chat turn: its last state, the events to emit (a half
 * pair held back to the end becomes U+FFFD), and how the model call ended.
 */
public record TurnEnd(ChatTurn turn, List<ChatEvent> events, ModelCallOutcome outcome) {
    public TurnEnd {
        Objects.requireNonNull(turn, "turn");
        events = List.copyOf(events);
        Objects.requireNonNull(outcome, "outcome");
    }
}
