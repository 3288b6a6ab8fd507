package dev.agentchat.ports.chat;

import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.ports.thread.ThreadRef;
import java.util.List;

/** A person decides the tool calls a run waits for: the run goes on, on this instance, whichever paused it. */
public interface DecideApprovals {

    /**
     * Decides every call the run waits for, each once, and resumes the run; the run as it is then.
     * A call of one of the client's own tools is answered with what the tool gave
     * ({@link ApprovalChoice#clientResult}), or denied. The very same decisions sent again get the run as
     * it is, changing nothing.
     *
     * @throws dev.agentchat.domain.refusal.InvalidApprovals when a waiting call is left out, an id names none,
     *                                                       or a call is answered as the other kind
     * @throws dev.agentchat.domain.refusal.ApprovalConflict  when the run was decided otherwise, or does not wait
     * @throws dev.agentchat.domain.refusal.ApprovalExpired   when the calls expired first (they counted as denied)
     * @throws dev.agentchat.domain.refusal.RunNotFound       when the caller's thread has no such run
     */
    Run decideApprovals(ThreadRef thread, RunId runId, List<ApprovalChoice> choices);
}
