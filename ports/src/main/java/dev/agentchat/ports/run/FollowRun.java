package dev.agentchat.ports.run;

import dev.agentchat.domain.refusal.EventsExpired;
import dev.agentchat.domain.refusal.RunNotFound;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.thread.ThreadRef;

/** Use case: (re)join a run's stream, from any instance, receiving the events after the ones already seen. */
public interface FollowRun {

    /**
     * Passes the run's events numbered after {@code after} to {@code sink}, then its new events as
     * they happen, until its last event or until the client leaves. Errors found before the first
     * event are thrown: {@link dev.agentchat.domain.refusal.ThreadNotFound}, {@link RunNotFound}, and
     * {@link EventsExpired} for a run whose events are no longer kept.
     */
    void followRun(ThreadRef thread, RunId runId, long after, ChatEventSink sink);
}
