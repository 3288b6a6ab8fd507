package dev.agentchat.domain.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A chat event as the run emitted it, numbered: sequences count from 1 within a run and grow, so a
 * client that saw event {@code n} misses nothing by asking for the ones after it. They skip only
 * where a run's instance died: its end is numbered past every id it may have sent (see
 * {@link EventIdReservation}), so that no id ever names two events.
 */
public record RunEvent(long sequence, ChatEvent event) {
    public RunEvent {
        if (sequence < 1) {
            throw new IllegalArgumentException("event sequences count from 1, was " + sequence);
        }
        Objects.requireNonNull(event, "event");
    }

    /** {@code events} in order, numbered on from {@code lastEventId}, so that whoever saw that id misses none of them. */
    public static List<RunEvent> numberedAfter(long lastEventId, List<ChatEvent> events) {
        List<RunEvent> numbered = new ArrayList<>(events.size());
        for (ChatEvent event : events) {
            numbered.add(new RunEvent(lastEventId + numbered.size() + 1, event));
        }
        return List.copyOf(numbered);
    }

    /** True for the event that ends a run: {@code done} or {@code error}; nothing follows it. */
    public boolean isLast() {
        return event instanceof ChatEvent.Done || event instanceof ChatEvent.Error;
    }
}
