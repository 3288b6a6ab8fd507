package dev.agentchat.domain.chat;

/**
 * The event ids a run's instance may send. An id, once sent to anyone, must never name another
 * event, even when the instance dies with events its clients saw but the event log never got. So an
 * instance sends only ids that are reserved in the log, and whoever ends a run after its instance is
 * gone numbers the end past every reservation.
 *
 * <p>Every run has its first {@link #BLOCK} ids reserved from the start, which costs no write: a run of
 * usual length reserves nothing more. A longer one records a block more, in the log batch it writes
 * anyway, whenever fewer than half a block are left; ids skip only after a crash.
 *
 * @param reservedThrough the highest id that may be sent
 */
public record EventIdReservation(long reservedThrough) {
    /** The ids a run may use before it records a reservation, and how many each reservation adds. */
    public static final long BLOCK = 4_096;

    /** What every run starts with. */
    public static final EventIdReservation INITIAL = new EventIdReservation(BLOCK);

    public EventIdReservation {
        if (reservedThrough < BLOCK) {
            throw new IllegalArgumentException("every run has ids up to " + BLOCK + " reserved, not " + reservedThrough);
        }
    }

    /**
     * The reservation as the event log shows it: the first block, or more where an instance recorded
     * more (or logged events past it).
     */
    public static EventIdReservation fromLog(long lastLogged, long recorded) {
        return new EventIdReservation(Math.max(BLOCK, Math.max(lastLogged, recorded)));
    }

    /** Whether the event numbered {@code sequence} may be sent to clients. */
    public boolean allows(long sequence) {
        return sequence <= reservedThrough;
    }

    /**
     * What a log batch holding the events through {@code emitted} records: a block more than
     * {@code emitted} once fewer than half a block are left, so that sending seldom waits for a write.
     */
    public long toRecordWith(long emitted) {
        return reservedThrough - emitted < BLOCK / 2 ? emitted + BLOCK : reservedThrough;
    }

    /** The reservation once a batch that recorded {@code through} is kept. */
    public EventIdReservation kept(long through) {
        return through <= reservedThrough ? this : new EventIdReservation(through);
    }

    /** The first id no client can have seen: where the events of whoever ends the run after its instance begin. */
    public long firstUnused() {
        return reservedThrough + 1;
    }
}
