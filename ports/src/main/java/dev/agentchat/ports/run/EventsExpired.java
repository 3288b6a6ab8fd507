package dev.agentchat.ports.run;

import dev.agentchat.domain.run.RunId;

/** The run ended so long ago that its events are no longer kept: its answer is in the thread. */
public final class EventsExpired extends RuntimeException {
    public EventsExpired(RunId runId) {
        super("The events of run '" + runId + "' are no longer kept; read the thread for its answer.");
    }
}
