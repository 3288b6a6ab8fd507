package dev.agentchat.adapter.http.run;

import dev.agentchat.adapter.http.AcceptHeader;
import dev.agentchat.adapter.http.Caller;
import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.JsonRequests;
import dev.agentchat.adapter.http.JsonResponses;
import dev.agentchat.adapter.http.PathIds;
import dev.agentchat.adapter.http.QueryParameters;
import dev.agentchat.adapter.http.agui.AgUiReplay;
import dev.agentchat.adapter.http.chat.OpenStreams;
import dev.agentchat.adapter.http.chat.SseChatEventSink;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.adapter.http.problem.Problems;
import dev.agentchat.adapter.http.thread.ThreadJson;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.ports.chat.DecideApprovals;
import dev.agentchat.ports.run.CancelRun;
import dev.agentchat.ports.run.FollowRun;
import dev.agentchat.ports.run.ListRuns;
import dev.agentchat.ports.run.ReadRun;
import dev.agentchat.ports.run.RunDetails;
import dev.agentchat.ports.thread.ThreadRef;
import dev.agentchat.ports.time.Clock;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The runs of a thread: list, read with steps, cancel, decide the tool calls a run waits for, and (re)join a
 * run's event stream, in this service's events or, for an AG-UI client whose stream dropped, in AG-UI's.
 */
public final class RunHttpService implements HttpService {
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    private static final String RUNS = "/{agentId}/threads/{threadId}/runs";
    private static final String RUN = RUNS + "/{runId}";

    private final ListRuns listRuns;
    private final ReadRun readRun;
    private final CancelRun cancelRun;
    private final FollowRun followRun;
    private final DecideApprovals decideApprovals;
    private final Caller caller;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final OpenStreams streams;
    private final int maxBodyBytes;
    private final AgUiReplay agUiReplay;

    public RunHttpService(ListRuns listRuns, ReadRun readRun, CancelRun cancelRun, FollowRun followRun,
                          DecideApprovals decideApprovals, Caller caller, Clock clock, Duration heartbeatInterval,
                          int maxBodyBytes, OpenStreams streams) {
        this.streams = streams;
        this.listRuns = listRuns;
        this.readRun = readRun;
        this.cancelRun = cancelRun;
        this.followRun = followRun;
        this.decideApprovals = decideApprovals;
        this.maxBodyBytes = maxBodyBytes;
        this.caller = caller;
        this.clock = clock;
        this.heartbeatInterval = heartbeatInterval;
        this.agUiReplay = new AgUiReplay(followRun, clock, heartbeatInterval, streams);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(RUNS, this::list)
                .any(RUNS, (req, res) -> Problems.methodNotAllowed(res, "GET"))
                .get(RUN, this::read)
                .any(RUN, (req, res) -> Problems.methodNotAllowed(res, "GET"))
                .post(RUN + "/cancel", this::cancel)
                .any(RUN + "/cancel", (req, res) -> Problems.methodNotAllowed(res, "POST"))
                .post(RUN + "/approvals", this::approve)
                .any(RUN + "/approvals", (req, res) -> Problems.methodNotAllowed(res, "POST"))
                .get(RUN + "/events", this::events)
                .any(RUN + "/events", (req, res) -> Problems.methodNotAllowed(res, "GET"))
                .get(RUN + "/events/ag-ui", this::agUiEvents)
                .any(RUN + "/events/ag-ui", (req, res) -> Problems.methodNotAllowed(res, "GET"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        List<Run> runs = listRuns.listRuns(thread(req));
        JsonResponses.send(res, 200, Json.encode(ThreadJson.RunListBody.of(runs)));
    }

    private void read(ServerRequest req, ServerResponse res) {
        RunDetails details = readRun.readRun(thread(req), runId(req));
        JsonResponses.send(res, 200, Json.encode(ThreadJson.RunBody.of(details.run(), details.steps())));
    }

    /** 200 with the run once it has stopped; 202 while it is still stopping (another instance runs it). */
    private void cancel(ServerRequest req, ServerResponse res) {
        Run run = cancelRun.cancelRun(thread(req), runId(req));
        int status = run.status() == RunStatus.CANCELLING ? 202 : 200;
        JsonResponses.send(res, status, Json.encode(ThreadJson.RunBody.of(run, List.of())));
    }

    /**
     * 200 with the run and its steps as read after the decisions (the run goes on meanwhile, so the read may
     * be newer than what the decisions wrote; a stale read never hides them). The same decisions sent again
     * are answered the same way, with the run as it is by then.
     */
    private void approve(ServerRequest req, ServerResponse res) {
        ApprovalsRequest request = ApprovalsRequest.from(JsonRequests.readObject(req, maxBodyBytes));
        ThreadRef thread = thread(req);
        RunId runId = runId(req);
        Run decided = decideApprovals.decideApprovals(thread, runId, request.choices());
        RunDetails details = readRun.readRun(thread, runId);
        Run run = details.run().revision() >= decided.revision() ? details.run() : decided;
        JsonResponses.send(res, 200, Json.encode(ThreadJson.RunBody.of(run, details.steps())));
    }

    private void events(ServerRequest req, ServerResponse res) {
        long after = seen(req).orElse(0);
        AcceptHeader.require(req, MediaTypes.TEXT_EVENT_STREAM);
        try (SseChatEventSink sink = new SseChatEventSink(res, clock, heartbeatInterval, streams,
                OpenStreams.Kind.RUN_EVENTS)) {
            followRun.followRun(thread(req), runId(req), after, sink);
            sink.complete();
        }
    }

    /**
     * The run's events as the AG-UI stream that carried them, after the id the client saw last: a path of its
     * own rather than a parameter of {@code /events}, as its frames are another schema in the same media type.
     */
    private void agUiEvents(ServerRequest req, ServerResponse res) {
        OptionalLong seen = seen(req);
        AgUiReplay.ClientNames names = AgUiReplay.ClientNames.of(req);
        AcceptHeader.require(req, MediaTypes.TEXT_EVENT_STREAM);
        agUiReplay.replay(thread(req), runId(req), seen, names, res);
    }

    /**
     * Where the client was, if it says: the {@code Last-Event-ID} header a reconnecting EventSource sends, or
     * {@code ?after=} for clients that cannot set headers; the header wins. 0: before the run's first event.
     */
    private static OptionalLong seen(ServerRequest req) {
        Optional<String> header = req.headers().first(LAST_EVENT_ID);
        if (header.isPresent()) {
            try {
                long value = Long.parseLong(header.get().trim());
                if (value >= 0) {
                    return OptionalLong.of(value);
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw new ProblemException(Problem.badRequest(
                    "Last-Event-ID must be the id of an event of this run (a number from 0), was '" + header.get() + "'."));
        }
        if (req.query().contains("after")) {
            return OptionalLong.of(QueryParameters.integer(req, "after", 0, 0, Integer.MAX_VALUE));
        }
        return OptionalLong.empty();
    }

    private ThreadRef thread(ServerRequest req) {
        return new ThreadRef(PathIds.agent(req), caller.identify(req), PathIds.thread(req));
    }

    private static RunId runId(ServerRequest req) {
        return PathIds.run(req);
    }
}
