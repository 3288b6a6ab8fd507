package dev.agentchat.adapter.http.chat;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ClientDisconnected;
import dev.agentchat.ports.time.Clock;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A chat turn's events as Server-Sent Events on one response.
 *
 * <p>The turn's thread never touches the socket: it queues each frame, and a writer thread of the
 * stream's own writes and flushes it at once. So a client that reads slowly or not at all cannot
 * hold the turn (and its run) hostage: when the queue is full, or a write has been stuck for a whole
 * heartbeat interval, the client counts as gone.
 *
 * <p>A ticker thread queues a heartbeat after half the interval of silence. TCP reports a client
 * that has left only on the second write after it left (the first draws the reset), so beating at
 * half the interval is what lets a vanished client be noticed within one interval.
 */
final class SseChatEventSink implements ChatEventSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SseChatEventSink.class.getName());
    /** Frames waiting for a slow client; past this the client is taken to have stopped reading. */
    static final int OUTBOX_CAPACITY = 2_048;
    private static final byte[] END = new byte[0];

    private final ServerResponse response;
    private final Clock clock;
    private final long stallNanos;
    private final long beatNanos;
    private final BlockingQueue<byte[]> outbox = new ArrayBlockingQueue<>(OUTBOX_CAPACITY);
    private final List<Runnable> disconnectActions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean gone = new AtomicBoolean();
    private final CountDownLatch stopTicking = new CountDownLatch(1);

    /** Orders queueing against the end of the stream: no heartbeat may follow the last event. */
    private final ReentrantLock queueing = new ReentrantLock();
    private boolean finished;
    private volatile long lastQueuedNanos;
    /** When the write in flight began, or 0 when none is. */
    private volatile long writeStartedNanos;

    private SseSink sse;
    private Thread writer;
    private Thread ticker;

    SseChatEventSink(ServerResponse response, Clock clock, Duration heartbeatInterval) {
        this.response = response;
        this.clock = clock;
        this.stallNanos = heartbeatInterval.toNanos();
        this.beatNanos = Math.max(1, heartbeatInterval.toNanos() / 2);
    }

    @Override
    public void open(RunId runId, ThreadId threadId) {
        // Headers go out with the sink's creation, so they are set first.
        response.header("X-Run-Id", runId.value());
        response.header("X-Thread-Id", threadId.value());
        response.header("Cache-Control", "no-cache");
        response.header("X-Accel-Buffering", "no");
        sse = response.sink(SseSink.TYPE);
        lastQueuedNanos = System.nanoTime();
        writer = Thread.ofVirtual().name("sse-writer-" + runId).start(this::writeFrames);
        ticker = Thread.ofVirtual().name("sse-ticker-" + runId).start(this::tick);
    }

    @Override
    public void emit(ChatEvent event) {
        if (gone.get()) {
            throw new ClientDisconnected("the client has gone", null);
        }
        boolean last = event instanceof ChatEvent.Done || event instanceof ChatEvent.Error;
        if (!queue(ChatEventJson.encode(event), last)) {
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

    /** Ends the stream: lets the writer send what is queued, within one interval, and stops both threads. */
    @Override
    public void close() {
        queueing.lock();
        try {
            finished = true;
        } finally {
            queueing.unlock();
        }
        stopTicking.countDown();
        if (writer == null) {
            return;
        }
        if (!outbox.offer(END)) {
            markGone("its stream is full");
        }
        try {
            if (!writer.join(Duration.ofNanos(stallNanos))) {
                markGone("its last events could not be written within the heartbeat interval");
            }
            ticker.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues a frame; false when the client has gone or stopped reading. */
    private boolean queue(byte[] frame, boolean last) {
        queueing.lock();
        try {
            if (finished || gone.get()) {
                return false;
            }
            if (!outbox.offer(frame)) {
                markGone("it stopped reading (" + OUTBOX_CAPACITY + " events are waiting)");
                return false;
            }
            lastQueuedNanos = System.nanoTime();
            finished = last;
            return true;
        } finally {
            queueing.unlock();
        }
    }

    private void writeFrames() {
        try {
            for (byte[] frame = outbox.take(); frame != END && !gone.get(); frame = outbox.take()) {
                writeStartedNanos = System.nanoTime();
                sse.emit(SseEvent.create(frame));
                writeStartedNanos = 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Helidon reports a vanished client as an unchecked I/O error on the write.
            LOG.log(Level.DEBUG, "SSE write failed", e);
            markGone("a write to it failed");
        } finally {
            writeStartedNanos = 0;
            try {
                sse.close();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Closing an SSE stream whose client left", e);
            }
        }
    }

    private void tick() {
        try {
            while (!gone.get()) {
                long now = System.nanoTime();
                long started = writeStartedNanos;
                if (started != 0 && now - started >= stallNanos) {
                    markGone("one write to it has been stuck for a whole heartbeat interval");
                    return;
                }
                long quiet = now - lastQueuedNanos;
                if (quiet >= beatNanos) {
                    if (!queue(ChatEventJson.encode(new ChatEvent.Heartbeat(clock.now())), false)) {
                        return;
                    }
                    continue;
                }
                long wait = beatNanos - quiet;
                if (started != 0) {
                    wait = Math.min(wait, started + stallNanos - now);
                }
                if (stopTicking.await(wait, TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void markGone(String why) {
        if (gone.compareAndSet(false, true)) {
            LOG.log(Level.DEBUG, "SSE client counted as gone: {0}", why);
            stopTicking.countDown();
            disconnectActions.forEach(Runnable::run);
        }
    }
}
