package dev.agentchat.domain.lifecycle;

import dev.agentchat.domain.chat.ChatEvent;
import java.util.List;
import java.util.Objects;

/**
 * The result of a lifecycle transition: the new state and the chat events the change emits.
 *
 * @param state  the new state
 * @param events the events to pass on to listeners, in order
 * @param <S>    the state type
 */
public record Transition<S>(S state, List<ChatEvent> events) {
    public Transition {
        Objects.requireNonNull(state, "state");
        events = List.copyOf(events);
    }

    public static <S> Transition<S> silent(S state) {
        return new Transition<>(state, List.of());
    }

    public static <S> Transition<S> emitting(S state, ChatEvent event) {
        return new Transition<>(state, List.of(event));
    }
}
