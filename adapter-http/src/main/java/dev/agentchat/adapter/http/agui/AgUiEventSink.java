package dev.agentchat.adapter.http.agui;

import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.chat.EventBody;
import dev.agentchat.adapter.http.chat.EventStream;
import dev.agentchat.adapter.http.chat.OpenStreams;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ClientDisconnected;
import dev.agentchat.ports.time.Clock;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A run's events as AG-UI events on one SSE response: {@code RUN_STARTED} when the run opens, then the
 * frames {@link AgUiEvents} makes of each event, each with {@code id:} the event's sequence (the run's
 * events endpoint counts the same way). Lines end in {@code \n} alone: the AG-UI client splits frames on
 * {@code "\n\n"} and fails on {@code \r\n}. The frames are written as bytes ({@link EventBody}), so a
 * silence gets an SSE comment ({@code : ping}), never a data frame: the AG-UI client reads every data line
 * as an event.
 * Heartbeats, and letting go of a client that left or stopped reading, are {@link EventStream}'s.
 *
 * <p>An AG-UI run ends at a pause: the stream stops there, and the client answers in its next request.
 */
final class AgUiEventSink implements ChatEventSink, AutoCloseable {
    private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Clock clock;
    private final ServerResponse response;
    private final EventStream<byte[]> stream;
    private final String threadKey;
    private final String clientRunId;
    private final Set<String> knownCalls;
    private final Set<String> answeredByClient;
    private AgUiEvents events;
    private RunId runId;
    private ThreadId threadId;
    /**
     * The id of the last event a client that came back has already ({@link #NOTHING_SEEN} for a new stream):
     * the frames of events up to it are made, as the encoding counts on every event before, but not sent.
     * Set once, by {@link #replaying}, before the stream opens.
     */
    private long seen = NOTHING_SEEN;
    /** True for a stream read again from the run's first event, which may cross the pauses the run went on from. */
    private boolean replay;
    /** In a stream read again: the {@code approval_required} events of the pause the events so far end at. */
    private final List<ChatEvent.ApprovalRequired> round = new ArrayList<>();

    /** What a stream that starts afresh has seen: nothing, not even {@code RUN_STARTED}. */
    static final long NOTHING_SEEN = -1;

    /** A sink for a run that starts with the client's new message. */
    AgUiEventSink(ServerResponse response, Clock clock, Duration heartbeatInterval, OpenStreams streams,
                  String threadKey, String clientRunId) {
        this(response, clock, heartbeatInterval, streams, threadKey, clientRunId, Set.of(), Set.of());
    }

    /** A sink for a run resumed with the client's answers (see {@link AgUiEvents} for the two sets). */
    AgUiEventSink(ServerResponse response, Clock clock, Duration heartbeatInterval, OpenStreams streams,
                  String threadKey, String clientRunId, Set<String> knownCalls, Set<String> answeredByClient) {
        this.clock = clock;
        this.response = response;
        this.stream = new EventStream<>(response, clock, heartbeatInterval, streams, OpenStreams.Kind.AG_UI);
        this.threadKey = threadKey;
        this.clientRunId = clientRunId;
        this.knownCalls = Set.copyOf(knownCalls);
        this.answeredByClient = Set.copyOf(answeredByClient);
    }

    /**
     * Answers a request refused before any run started with a stream of one {@code RUN_ERROR}: AG-UI's
     * contract for input that does not fit the thread's state (a new message while the run waits, answers
     * that do not fit its pause), which its clients report as the run's error rather than as a failed request.
     */
    static void refuse(ServerResponse response, Clock clock, String message, String code) {
        refuseOn(response, clock, message, code);
    }

    /**
     * Refuses as {@link #refuse} does, on this sink's response, which must not have opened its stream: a second
     * answer cannot follow the head of the first.
     */
    void refuseUnopened(String message, String code) {
        if (stream.isOpen()) {
            throw new IllegalStateException("A refusal (" + code + ") came after the run's stream had opened");
        }
        refuseOn(response, clock, message, code);
    }

    /** Everything was written: see {@link EventStream#complete()}. */
    void complete() {
        stream.complete();
    }

    private static void refuseOn(ServerResponse response, Clock clock, String message, String code) {
        response.header(HeaderValues.CONTENT_TYPE_EVENT_STREAM);
        response.header("Cache-Control", "no-cache");
        response.send(frame(null, AgUiEvents.runError(message, code, clock.now())));
    }

    /**
     * A sink for a client that reads a run again, from its first event, having {@code seen} every frame up to
     * that id ({@link #NOTHING_SEEN}: none, so {@code RUN_STARTED} too): only the frames after it are sent.
     */
    static AgUiEventSink replaying(ServerResponse response, Clock clock, Duration heartbeatInterval, OpenStreams streams,
                                   String threadKey, String clientRunId, long seen) {
        AgUiEventSink sink = new AgUiEventSink(response, clock, heartbeatInterval, streams, threadKey, clientRunId);
        sink.seen = seen;
        sink.replay = true;
        return sink;
    }

    @Override
    public void open(RunId runId, ThreadId threadId) {
        this.runId = runId;
        this.threadId = threadId;
        events = new AgUiEvents(threadKey, clientRunId, runId, threadId, knownCalls, answeredByClient);
        // A client that came back has RUN_STARTED; a comment sends it the headers at once all the same (the
        // response's stream holds them back until the first byte), though its next frame may be long in coming.
        if (stream.open(runId, threadId, EventBody::wire, () -> PING)
                && !stream.write(seen == NOTHING_SEEN ? frame(null, events.runStarted(clock.now())) : PING, false)) {
            throw new ClientDisconnected("the client has gone", null);
        }
    }

    @Override
    public void emit(RunEvent event) {
        if (replay && crossesPause(event)) {
            return;
        }
        List<Map<String, Object>> translated = events.translate(event);
        if (translated.isEmpty() || event.sequence() <= seen) {
            return;
        }
        // The frames of one event go out together, so no beat falls between them.
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        translated.forEach(frame -> frames.writeBytes(frame(Long.toString(event.sequence()), frame)));
        if (!stream.write(frames.toByteArray(), events.ended())) {
            throw new ClientDisconnected("the client has gone", null);
        }
    }

    /**
     * For a stream read again: whether {@code event} is the first after a pause the run went on from, and the
     * client's stream was the one that ended there. Each pause ended an AG-UI run, and the client's next request
     * streamed the rest as another; a client that read past the pause was in that one, so the encoding starts
     * again as that stream's did (the calls of the pause known, those the client answered with its own results
     * told no result). A client that was not past it gets the pause's {@code RUN_FINISHED}, and no more.
     */
    private boolean crossesPause(RunEvent event) {
        if (event.event() instanceof ChatEvent.ApprovalRequired asked) {
            round.add(asked);
            return false;
        }
        if (round.isEmpty()) {
            return false;
        }
        long pausedAt = event.sequence() - 1;
        if (seen <= pausedAt && !events.ended()) {
            endAtRound();
            throw new ClientDisconnected("the AG-UI run ended at the run's pause", null);
        }
        events = new AgUiEvents(threadKey, clientRunId, runId, threadId,
                round.stream().map(asked -> asked.stepId().value()).collect(Collectors.toSet()),
                round.stream().filter(ChatEvent.ApprovalRequired::clientSide).map(asked -> asked.stepId().value())
                        .collect(Collectors.toSet()));
        round.clear();
        return false;
    }

    /** Ends a stream read again at the pause its events end at, as the stream the client read ended there. */
    private void endAtRound() {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        events.interruptedAfter(List.copyOf(round), clock.now()).forEach(frame -> frames.writeBytes(frame(null, frame)));
        stream.write(frames.toByteArray(), true);
    }

    /** Ends the stream of a run that paused ({@code paused} as stored) with the pause's {@code RUN_FINISHED}. */
    void interrupted(Run paused) {
        if (events == null || events.ended()) {
            return;
        }
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        events.interrupted(paused.approvals().pending(), paused.approvals().expiresAt(), clock.now())
                .forEach(frame -> frames.writeBytes(frame(null, frame)));
        stream.write(frames.toByteArray(), true);
    }

    /** False: an AG-UI run ends at its pause, and the client answers it in a new request (see {@link #interrupted}). */
    @Override
    public boolean followsPastPauses() {
        return false;
    }

    @Override
    public void onDisconnect(Runnable action) {
        stream.onDisconnect(action);
    }

    /**
     * Ends the stream. One that stops before the run's last event (following it failed, say) still ends with
     * {@code RUN_ERROR}: an AG-UI client takes a stream that just closes for a run that succeeded, and does
     * not reconnect to learn otherwise.
     */
    @Override
    public void close() {
        if (events != null && !events.ended() && replay && !round.isEmpty()) {
            endAtRound();   // read again up to the pause the run waits at now
        } else if (events != null && !events.ended()) {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            events.cutShort("The stream ended before the run did; read its thread for how it ended.", "stream_ended",
                    clock.now()).forEach(frame -> frames.writeBytes(frame(null, frame)));
            stream.write(frames.toByteArray(), true);
        }
        stream.close();
    }

    /** One frame: its id line, if it has one, and the event's JSON on one data line (JSON text escapes line breaks). */
    private static byte[] frame(String id, Map<String, Object> event) {
        String prefix = (id == null ? "" : "id: " + id + "\n") + "data: ";
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(Json.writeUtf8(prefix, json -> json.writeObject(event)));
        frame.writeBytes(new byte[] {'\n', '\n'});
        return frame.toByteArray();
    }
}
