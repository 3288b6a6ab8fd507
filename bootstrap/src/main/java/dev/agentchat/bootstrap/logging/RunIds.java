package dev.agentchat.bootstrap.logging;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import java.util.Objects;

/** The run a log line is written within: the run, its thread (the conversation) and its agent. */
public record RunIds(RunId run, ThreadId thread, AgentId agent) {
    public RunIds {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(agent, "agent");
    }
}
