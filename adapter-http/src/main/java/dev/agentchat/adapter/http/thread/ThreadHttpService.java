package dev.agentchat.adapter.http.thread;

import dev.agentchat.adapter.http.Caller;
import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.JsonResponses;
import dev.agentchat.adapter.http.PathIds;
import dev.agentchat.adapter.http.QueryParameters;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.adapter.http.problem.Problems;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.thread.DeleteThread;
import dev.agentchat.ports.thread.ListThreads;
import dev.agentchat.ports.thread.ReadThread;
import dev.agentchat.ports.thread.ThreadHistory;
import dev.agentchat.ports.thread.ThreadListQuery;
import dev.agentchat.ports.thread.ThreadPage;
import dev.agentchat.ports.thread.ThreadRef;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Threads of an agent: list, read with history, delete. */
public final class ThreadHttpService implements HttpService {
    private final ListThreads listThreads;
    private final ReadThread readThread;
    private final DeleteThread deleteThread;
    private final Caller caller;

    public ThreadHttpService(ListThreads listThreads, ReadThread readThread, DeleteThread deleteThread, Caller caller) {
        this.listThreads = listThreads;
        this.readThread = readThread;
        this.deleteThread = deleteThread;
        this.caller = caller;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{agentId}/threads", this::list)
                .any("/{agentId}/threads", (req, res) -> Problems.methodNotAllowed(res, "GET"))
                .get("/{agentId}/threads/{threadId}", this::read)
                .delete("/{agentId}/threads/{threadId}", this::delete)
                .any("/{agentId}/threads/{threadId}", (req, res) -> Problems.methodNotAllowed(res, "GET", "DELETE"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        int limit = QueryParameters.integer(req, "limit", PageRequest.DEFAULT_LIMIT, 1, PageRequest.MAX_LIMIT);
        int offset = QueryParameters.integer(req, "offset", 0, 0, Integer.MAX_VALUE);
        ThreadPage page = listThreads.list(new ThreadListQuery(PathIds.agent(req), caller.identify(req),
                statuses(req), new PageRequest(limit, offset)));
        JsonResponses.send(res, 200, Json.encode(ThreadJson.ThreadListBody.of(page)));
    }

    private void read(ServerRequest req, ServerResponse res) {
        ThreadHistory history = readThread.read(ref(req));
        JsonResponses.send(res, 200, Json.encode(ThreadJson.ThreadHistoryBody.of(history)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        boolean hard = booleanParameter(req, "hard_delete", false);
        deleteThread.delete(ref(req), hard);
        res.status(Status.NO_CONTENT_204).send();
    }

    private ThreadRef ref(ServerRequest req) {
        return new ThreadRef(PathIds.agent(req), caller.identify(req), PathIds.thread(req));
    }

    /** {@code active} (the default), {@code deleted}, or {@code all}. */
    private static Set<ThreadStatus> statuses(ServerRequest req) {
        String status = parameter(req, "status").orElse("active");
        return switch (status) {
            case "active" -> EnumSet.of(ThreadStatus.ACTIVE);
            case "deleted" -> EnumSet.of(ThreadStatus.DELETED);
            case "all" -> EnumSet.allOf(ThreadStatus.class);
            default -> throw new ProblemException(Problem.badRequest(
                    "'status' must be one of active, deleted or all, was '" + status + "'."));
        };
    }

    private static boolean booleanParameter(ServerRequest req, String name, boolean fallback) {
        Optional<String> value = parameter(req, name);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ProblemException(Problem.badRequest(
                    "'" + name + "' must be true or false, was '" + value.get() + "'."));
        };
    }

    private static Optional<String> parameter(ServerRequest req, String name) {
        return req.query().first(name).asOptional();
    }
}
