package dev.agentchat.adapter.http.agui;

import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.chat.OpenStreams;
import dev.agentchat.adapter.http.edge.GuardedHttp1;
import dev.agentchat.adapter.http.edge.HeadResponse;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ClientDisconnected;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.time.Signal;
import io.helidon.http.HeaderValues;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A run's events as AG-UI events on one SSE response: {@code RUN_STARTED} when the run opens, then the
 * frames {@link AgUiEvents} makes of each event, each with {@code id:} the event's sequence (the run's
 * events endpoint counts the same way). Lines end in {@code \n} alone: the AG-UI client splits frames on
 * {@code "\n\n"} and fails on {@code \r\n}.
 *
 * <p>A quiet stream gets an SSE comment ({@code : ping}) after half the heartbeat interval, never a data
 * frame: every data frame must be an AG-UI event. As on the chat stream, the beat is what tells a client
 * that has left (TCP reports it on the second write after), and a client whose one write has been stuck
 * a whole interval is cut off. The run's own thread writes the events; a ticker thread writes the beats.
 */
final class AgUiEventSink implements ChatEventSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AgUiEventSink.class.getName());
    /** Helidon writes a comment as ":" and the text: the space makes the line read {@code : ping}. */
    private static final SseEvent PING = SseEvent.builder().comment(" ping").build();

    private final ServerResponse response;
    private final Clock clock;
    private final OpenStreams streams;
    private final String threadKey;
    private final String clientRunId;
    private final long stallNanos;
    private final long beatNanos;
    private final Signal changed;
    private final List<Runnable> disconnectActions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean gone = new AtomicBoolean();
    private final ReentrantLock writing = new ReentrantLock();
    /** The run's last event was written: no beat may follow it. Guarded by {@code writing}. */
    private boolean finished;
    private volatile boolean stopped;
    private volatile long lastWriteNanos;
    private volatile long writeStartedNanos;
    private volatile Thread writer;
    private AgUiEvents events;
    private SseSink sse;
    private Thread ticker;

    AgUiEventSink(ServerResponse response, Clock clock, Duration heartbeatInterval, OpenStreams streams,
                  String threadKey, String clientRunId) {
        this.response = response;
        this.clock = clock;
        this.streams = streams;
        this.threadKey = threadKey;
        this.clientRunId = clientRunId;
        this.stallNanos = heartbeatInterval.toNanos();
        this.beatNanos = Math.max(1, heartbeatInterval.toNanos() / 2);
        this.changed = clock.newSignal();
    }

    @Override
    public void open(RunId runId, ThreadId threadId) {
        events = new AgUiEvents(threadKey, clientRunId, runId, threadId);
        response.header("X-Run-Id", runId.value());
        response.header("X-Thread-Id", threadId.value());
        response.header("Cache-Control", "no-cache");
        response.header("X-Accel-Buffering", "no");
        if (response instanceof HeadResponse head) {
            head.header(HeaderValues.CONTENT_TYPE_EVENT_STREAM);
            head.sendHeadersOnly();
            markGone("it asked for the headers only (HEAD)");
            return;
        }
        lastWriteNanos = clock.nanoTime();
        sse = response.sink(SseSink.TYPE);
        GuardedHttp1.requestReadWhole();
        streams.opened();
        if (!write(List.of(data(null, events.runStarted(clock.now()))), false)) {
            throw new ClientDisconnected("the client has gone", null);
        }
        ticker = Thread.ofVirtual().name("ag-ui-ticker-" + runId).start(this::tick);
    }

    @Override
    public void emit(RunEvent event) {
        List<SseEvent> frames = events.translate(event.event()).stream()
                .map(frame -> data(Long.toString(event.sequence()), frame)).toList();
        if (!frames.isEmpty() && !write(frames, events.ended())) {
            throw new ClientDisconnected("the client has gone", null);
        }
    }

    @Override
    public void onDisconnect(Runnable action) {
        disconnectActions.add(action);
        if (gone.get()) {
            action.run();
        }
    }

    @Override
    public void close() {
        if (sse == null) {
            return;
        }
        try {
            if (writing.tryLock() || changed.awaitUntil(writing::tryLock, clock.nanoTime() + stallNanos)) {
                try {
                    finished = true;
                } finally {
                    writing.unlock();
                }
            } else {
                abandon("its last write has been stuck for a whole heartbeat interval");
            }
            stopTicking();
            if (ticker != null) {
                ticker.join(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                sse.close();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Closing an AG-UI stream whose client left", e);
            }
            streams.closed();
        }
    }

    /** One frame's data: the event's JSON on one line, after the space that makes the line read {@code data: {...}}. */
    private static SseEvent data(String id, Map<String, Object> frame) {
        SseEvent.Builder event = SseEvent.builder().data(Json.writeUtf8(" ", json -> json.writeObject(frame)));
        return id == null ? event.build() : event.id(id).build();
    }

    /** Writes the frames of one event together, so no beat falls between them; false when the client has gone. */
    private boolean write(List<SseEvent> frames, boolean last) {
        if (gone.get()) {
            return false;
        }
        try {
            if (!writing.tryLock() && !changed.awaitUntil(writing::tryLock, clock.nanoTime() + stallNanos)) {
                abandon("a write to it has been stuck for a whole heartbeat interval");
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            if (finished || gone.get()) {
                return false;
            }
            writer = Thread.currentThread();
            writeStartedNanos = clock.nanoTime();
            frames.forEach(sse::emit);
            lastWriteNanos = clock.nanoTime();
            finished = last;
            return true;
        } catch (RuntimeException e) {
            Thread.interrupted();
            LOG.log(Level.DEBUG, "AG-UI write failed", e);
            markGone("a write to it failed");
            return false;
        } finally {
            writeStartedNanos = 0;
            writer = null;
            writing.unlock();
            changed.signal();
        }
    }

    /** A beat, unless a write is in flight (no silence to fill) or the stream has ended. */
    private void beat() {
        if (!writing.tryLock()) {
            return;
        }
        try {
            if (!finished && !gone.get()) {
                sse.emit(PING);
                lastWriteNanos = clock.nanoTime();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "AG-UI heartbeat failed", e);
            markGone("a heartbeat to it failed");
        } finally {
            writing.unlock();
        }
    }

    private void tick() {
        try {
            while (!stopped && !gone.get()) {
                long now = clock.nanoTime();
                long started = writeStartedNanos;
                if (started != 0 && now - started >= stallNanos) {
                    abandon("one write to it has been stuck for a whole heartbeat interval");
                    return;
                }
                long quiet = now - lastWriteNanos;
                if (quiet >= beatNanos && started == 0) {
                    beat();
                    lastWriteNanos = Math.max(lastWriteNanos, now);
                    continue;
                }
                long wait = beatNanos - quiet;
                if (started != 0) {
                    wait = Math.min(wait, started + stallNanos - now);
                }
                if (changed.awaitUntil(() -> stopped || gone.get(), now + Math.max(wait, 1_000_000))) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopTicking() {
        stopped = true;
        changed.signal();
    }

    private void abandon(String why) {
        markGone(why);
        Thread stuck = writer;
        if (stuck != null && stuck != Thread.currentThread()) {
            stuck.interrupt();
        }
    }

    private void markGone(String why) {
        if (gone.compareAndSet(false, true)) {
            LOG.log(Level.DEBUG, "AG-UI client counted as gone: {0}", why);
            stopTicking();
            disconnectActions.forEach(Runnable::run);
        }
    }
}
