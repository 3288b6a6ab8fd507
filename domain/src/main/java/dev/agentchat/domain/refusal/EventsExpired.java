package dev.agentchat.domain.refusal;

import dev.agentchat.domain.run.RunId;

/** The run ended so long ago that its events are no longer kept: its answer is in the thread. */
public final class EventsExpired extends Refusal {
    public EventsExpired(RunId runId) {
        super(Kind.GONE, "The events of run '" + runId + "' are no longer kept; read the thread for its answer.");
    }
}
