package dev.agentchat.domain.refusal;

import dev.agentchat.domain.run.RunId;

/**
 * A client asked to resume a run after an event id the run never sent to anyone: past its last
 * event, or past every id its instance may have used so far. Nothing is replayed, since no answer
 * could be told apart from a guess.
 */
public final class UnknownEventId extends Refusal {
    private final long lastEventId;

    public UnknownEventId(RunId runId, long after, long lastEventId) {
        super(Kind.INVALID, "Run '" + runId + "' has sent no event " + after + "; its events so far end at " + lastEventId
                + ". Resume from an id the run sent, or from 0 to replay it all.");
        this.lastEventId = lastEventId;
    }

    /** The highest id the run may have sent when the request came: a client can resume from it. */
    public long lastEventId() {
        return lastEventId;
    }
}
