package dev.agentchat.ports.time;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Where the services read the time, so that tests can set it. */
@FunctionalInterface
public interface Clock {
    Instant now();

    /** The system clock, to the millisecond: the precision every store and wire format keeps. */
    static Clock system() {
        return () -> Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
