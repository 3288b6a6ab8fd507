package dev.agentchat.adapter.http;

import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import io.helidon.webserver.http.ServerRequest;

/** Ids taken from the request path. One that cannot be an id names nothing, so it is a 404 rather than a 400. */
public final class PathIds {
    private PathIds() {
    }

    public static AgentId agent(ServerRequest req) {
        String value = req.path().pathParameters().get("agentId");
        try {
            return AgentId.of(value);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.notFound("agent_not_found", "There is no agent '" + value + "'."));
        }
    }

    public static ThreadId thread(ServerRequest req) {
        String value = req.path().pathParameters().get("threadId");
        try {
            return ThreadId.of(value);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.notFound("thread_not_found", "There is no thread '" + value + "' for this agent."));
        }
    }

    public static RunId run(ServerRequest req) {
        String value = req.path().pathParameters().get("runId");
        try {
            return RunId.of(value);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.notFound("run_not_found", "Run '" + value + "' was not found."));
        }
    }
}
