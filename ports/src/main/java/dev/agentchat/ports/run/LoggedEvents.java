package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.EventIdReservation;

/**
 * What the event log holds of one run's numbering.
 *
 * @param lastSequence the id of the last event kept, 0 for none
 * @param endLogged    whether that event ends the run ({@code done} or {@code error})
 * @param recorded     the highest id reserved by a batch (at least {@code lastSequence})
 */
public record LoggedEvents(long lastSequence, boolean endLogged, long recorded) {
    public static final LoggedEvents NONE = new LoggedEvents(0, false, 0);

    public LoggedEvents {
        if (lastSequence < 0 || recorded < lastSequence) {
            throw new IllegalArgumentException("a log holding events through " + lastSequence + " cannot have reserved "
                    + recorded);
        }
    }

    /** The ids the run's instance may have sent. */
    public EventIdReservation reservation() {
        return EventIdReservation.fromLog(lastSequence, recorded);
    }
}
