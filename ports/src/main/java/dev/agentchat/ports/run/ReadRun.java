package dev.agentchat.ports.run;

import dev.agentchat.domain.refusal.RunNotFound;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.ports.thread.ThreadRef;

/** Use case: see one run with its steps. */
public interface ReadRun {

    /** @throws RunNotFound when the thread has no such run */
    RunDetails readRun(ThreadRef thread, RunId runId);
}
