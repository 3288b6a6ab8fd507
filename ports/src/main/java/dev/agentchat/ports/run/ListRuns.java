package dev.agentchat.ports.run;

import dev.agentchat.domain.run.Run;
import dev.agentchat.ports.thread.ThreadRef;
import java.util.List;

/** Use case: see the runs of a thread, oldest first. */
public interface ListRuns {

    /** @throws dev.agentchat.domain.refusal.ThreadNotFound when the caller has no such thread */
    List<Run> listRuns(ThreadRef thread);
}
