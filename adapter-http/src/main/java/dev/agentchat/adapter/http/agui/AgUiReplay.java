package dev.agentchat.adapter.http.agui;

import dev.agentchat.adapter.http.chat.OpenStreams;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.run.FollowRun;
import dev.agentchat.ports.thread.ThreadRef;
import dev.agentchat.ports.time.Clock;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A run's events again, as the AG-UI stream that carried them, for an AG-UI client whose stream dropped: the
 * frames after the id it saw last, each with the id it had, then the run's live events until the end of the
 * AG-UI run that id was in. An AG-UI run ends at a pause and the run goes on in the client's next request, so
 * that is the run's end, or the pause after the id. The encoding keeps what the client was told (which text
 * message is open, which calls it knows, where the run paused and went on), so every event is encoded from the
 * run's first, and only the frames past the client's id are sent. What the client named the thread and the run
 * is not stored; it says them again ({@value #THREAD_PARAMETER}, {@value #RUN_PARAMETER}), else this service's ids stand in.
 */
public final class AgUiReplay {
    /** The query parameter that gives the client's {@code threadId}, echoed in {@code RUN_STARTED} and {@code RUN_FINISHED}. */
    public static final String THREAD_PARAMETER = "ag_ui_thread_id";
    /** The query parameter that gives the client's {@code runId}, echoed likewise. */
    public static final String RUN_PARAMETER = "ag_ui_run_id";

    private final FollowRun followRun;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final OpenStreams streams;

    public AgUiReplay(FollowRun followRun, Clock clock, Duration heartbeatInterval, OpenStreams streams) {
        this.followRun = followRun;
        this.clock = clock;
        this.heartbeatInterval = heartbeatInterval;
        this.streams = streams;
    }

    /** The client's names for thread and run, from the request's query; 400 for one AG-UI's POST would refuse. */
    public record ClientNames(Optional<String> threadKey, Optional<String> runId) {
        public static ClientNames of(ServerRequest req) {
            return new ClientNames(name(req, THREAD_PARAMETER, RunAgentInput.MAX_THREAD_KEY_LENGTH),
                    name(req, RUN_PARAMETER, RunAgentInput.MAX_RUN_ID_LENGTH));
        }
    }

    /**
     * Streams the run's AG-UI frames after {@code seen} (none: all, {@code RUN_STARTED} first). Refusals come
     * before the stream, as on the run's own events: the thread not the caller's, the run unknown, its events
     * expired, or an id the run never sent.
     */
    public void replay(ThreadRef thread, RunId runId, OptionalLong seen, ClientNames names, ServerResponse res) {
        if (seen.isPresent() && seen.getAsLong() > 0) {
            requireSent(thread, runId, seen.getAsLong());
        }
        try (AgUiEventSink sink = AgUiEventSink.replaying(res, clock, heartbeatInterval, streams,
                names.threadKey().orElse(thread.threadId().value()), names.runId().orElse(runId.value()),
                seen.orElse(AgUiEventSink.NOTHING_SEEN))) {
            followRun.followRun(thread, runId, 0, sink);
            sink.complete();
        }
    }

    /**
     * Refuses, as following after {@code seen} would, an id the run never sent: the run's rules for that live in
     * following it, so it is asked to follow from there, and stopped as it opens the stream, before any event.
     */
    private void requireSent(ThreadRef thread, RunId runId, long seen) {
        try {
            followRun.followRun(thread, runId, seen, PROBE);
        } catch (Sent known) {
            // the run sent that id: the replay may start
        }
    }

    /** Told by a probe as the stream would open: the id was checked, and nothing need be followed. */
    private static final class Sent extends RuntimeException {
        Sent() {
            super("the run sent that id", null, false, false);
        }
    }

    /** Stops following as the stream would open, once every check before it has passed. */
    private static final ChatEventSink PROBE = new ChatEventSink() {
        @Override
        public void open(RunId runId, ThreadId threadId) {
            throw new Sent();
        }

        @Override
        public void emit(RunEvent event) {
            throw new Sent();
        }

        @Override
        public void onDisconnect(Runnable action) {
        }

        @Override
        public boolean followsPastPauses() {
            return false;
        }
    };

    /** A client name from the query: 1 to {@code maxLength} printable characters without surrounding spaces. */
    private static Optional<String> name(ServerRequest req, String parameter, int maxLength) {
        Optional<String> value = req.query().first(parameter).asOptional();
        value.filter(text -> text.isEmpty() || text.length() > maxLength || !text.strip().equals(text)
                        || text.codePoints().anyMatch(c -> Character.isISOControl(c) || !Character.isDefined(c)))
                .ifPresent(text -> {
                    throw new ProblemException(Problem.badRequest("'" + parameter + "' must be 1 to " + maxLength
                            + " printable characters without surrounding spaces, as AG-UI's input gives it."));
                });
        return value;
    }
}
