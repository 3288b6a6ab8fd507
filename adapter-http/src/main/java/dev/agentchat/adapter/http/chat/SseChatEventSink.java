package dev.agentchat.adapter.http.chat;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
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
 * A run's events as Server-Sent Events on one response, each frame with the event's sequence as
 * its {@code id}, so that a client that reconnects can say with {@code Last-Event-ID} where it was.
 *
 * <p>The thread that follows the run never touches the socket: it queues each frame, and a writer
 * thread of the stream's own writes and flushes it at once. The follower waits while the queue is
 * full (a replay sends many events at once), but a client that reads slowly or not at all is not
 * waited for for ever: when the queue stays full, or a write has been stuck, for a whole heartbeat
 * interval, the client counts as gone.
 *
 * <p>A ticker thread queues a heartbeat after half the interval of silence. TCP reports a client
 * that has left only on the second write after it left (the first draws the reset), so beating at
 * half the interval is what lets a vanished client be noticed within one interval.
 */
public final class SseChatEventSink implements ChatEventSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SseChatEventSink.class.getName());
    /** Frames waiting for a slow client; past this the client is taken to have stopped reading. */
    static final int OUTBOX_CAPACITY = 2_048;
    private static final SseEvent END = SseEvent.create("");

    private final ServerResponse response;
    private final OpenStreams streams;
    private final Clock clock;
    private final long stallNanos;
    private final long beatNanos;
    private final BlockingQueue<SseEvent> outbox = new ArrayBlockingQueue<>(OUTBOX_CAPACITY);
    private final List<Runnable> disconnectActions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean gone = new AtomicBoolean();
    /** Set when writing stops for good: a write failed or stuck. A client merely counted as gone still gets what is queued. */
    private volatile boolean abandoned;
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

    public SseChatEventSink(ServerResponse response, Clock clock, Duration heartbeatInterval, OpenStreams streams) {
        this.response = response;
        this.streams = streams;
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
        streams.opened();
        lastQueuedNanos = System.nanoTime();
        writer = Thread.ofVirtual().name("sse-writer-" + runId).start(this::writeFrames);
        ticker = Thread.ofVirtual().name("sse-ticker-" + runId).start(this::tick);
    }

    @Override
    public void emit(RunEvent event) {
        if (gone.get()) {
            throw new ClientDisconnected("the client has gone", null);
        }
        SseEvent frame = SseEvent.builder().id(Long.toString(event.sequence()))
                .data(ChatEventJson.encode(event.event())).build();
        if (!queue(frame, event.isLast(), stallNanos)) {
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

    /**
     * Ends the stream: lets the writer send what is queued (the run's last events among them) while
     * the client keeps reading, and stops both threads. A client whose one write stays stuck for a
     * heartbeat interval, or that has not taken the rest within ten, is cut off.
     */
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
        try {
            if (!outbox.offer(END, stallNanos, TimeUnit.NANOSECONDS)) {
                abandon("its stream stayed full for a heartbeat interval");
            }
            awaitWriter();
            ticker.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.closed();
        }
    }

    /** Waits for the writer to send what is queued, as long as it gets on with it. */
    private void awaitWriter() throws InterruptedException {
        long giveUp = System.nanoTime() + 10 * stallNanos;
        while (!writer.join(Duration.ofNanos(Math.max(1, beatNanos)))) {
            long now = System.nanoTime();
            long started = writeStartedNanos;
            if ((started != 0 && now - started >= stallNanos) || now >= giveUp) {
                abandon("its last events could not be written in time");
                writer.join(Duration.ofSeconds(1));
                return;
            }
        }
    }

    /** Stops writing to a client that does not take what is sent: a write blocked on it is interrupted. */
    private void abandon(String why) {
        abandoned = true;
        markGone(why);
        writer.interrupt();
    }

    /**
     * Queues a frame, waiting up to {@code patienceNanos} for room; false when the client has gone or
     * stopped reading. A heartbeat ({@code patienceNanos} below 0) is dropped when the queue is full.
     */
    private boolean queue(SseEvent frame, boolean last, long patienceNanos) {
        queueing.lock();
        try {
            if (finished || gone.get()) {
                return false;
            }
            boolean heartbeat = patienceNanos < 0;
            if (!outbox.offer(frame, Math.max(patienceNanos, 0), TimeUnit.NANOSECONDS)) {
                if (heartbeat) {
                    // A full queue is no silence: the stall watchdog judges the writer. Counted as a beat,
                    // so the ticker waits a beat before it looks again.
                    lastQueuedNanos = System.nanoTime();
                    return true;
                }
                markGone("it stopped reading (" + OUTBOX_CAPACITY + " events are waiting)");
                return false;
            }
            lastQueuedNanos = System.nanoTime();
            finished = last;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            queueing.unlock();
        }
    }

    private void writeFrames() {
        try {
            for (SseEvent frame = outbox.take(); frame != END && !abandoned; frame = outbox.take()) {
                writeStartedNanos = System.nanoTime();
                sse.emit(frame);
                writeStartedNanos = 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Helidon reports a vanished client as an unchecked I/O error on the write.
            LOG.log(Level.DEBUG, "SSE write failed", e);
            abandoned = true;
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
                    abandon("one write to it has been stuck for a whole heartbeat interval");
                    return;
                }
                long quiet = now - lastQueuedNanos;
                if (quiet >= beatNanos) {
                    if (!queue(SseEvent.create(ChatEventJson.encode(new ChatEvent.Heartbeat(clock.now()))), false, -1)) {
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
