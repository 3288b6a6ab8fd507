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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A chat turn's events as Server-Sent Events on one response. Each event is written and flushed at
 * once. A heartbeat thread of its own (virtual) writes a heartbeat after each quiet interval; that
 * is also how a vanished client is noticed while the model is silent, since a dead socket only shows
 * on a write.
 */
final class SseChatEventSink implements ChatEventSink, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SseChatEventSink.class.getName());

    private final ServerResponse response;
    private final Clock clock;
    private final long heartbeatNanos;
    private final List<Runnable> disconnectActions = new CopyOnWriteArrayList<>();

    /** Guards the sink and the write state below; the turn's thread and the heartbeat thread both write. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closing = lock.newCondition();
    private SseSink sse;
    private long lastWriteNanos;
    private boolean closed;
    private volatile boolean gone;
    private Thread heartbeat;

    SseChatEventSink(ServerResponse response, Clock clock, Duration heartbeatInterval) {
        this.response = response;
        this.clock = clock;
        this.heartbeatNanos = heartbeatInterval.toNanos();
    }

    @Override
    public void open(RunId runId, ThreadId threadId) {
        lock.lock();
        try {
            // Headers go out with the sink's creation, so they are set first.
            response.header("X-Run-Id", runId.value());
            response.header("X-Thread-Id", threadId.value());
            response.header("Cache-Control", "no-cache");
            response.header("X-Accel-Buffering", "no");
            sse = response.sink(SseSink.TYPE);
            lastWriteNanos = System.nanoTime();
            heartbeat = Thread.ofVirtual().name("sse-heartbeat-" + runId).start(this::beatWhileQuiet);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void emit(ChatEvent event) {
        write(ChatEventJson.encode(event));
    }

    @Override
    public void onDisconnect(Runnable action) {
        disconnectActions.add(action);
        if (gone) {
            action.run();
        }
    }

    /** Ends the stream and its heartbeat. */
    @Override
    public void close() {
        Thread beating;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closing.signalAll();
            beating = heartbeat;
            if (sse != null) {
                // Closed even when the client has gone: closing is what completes the response for Helidon.
                try {
                    sse.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "Closing an SSE stream whose client left", e);
                }
            }
        } finally {
            lock.unlock();
        }
        if (beating != null) {
            try {
                beating.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void write(String json) {
        lock.lock();
        try {
            if (gone || closed || sse == null) {
                throw new ClientDisconnected("the stream is no longer open", null);
            }
            sse.emit(SseEvent.create(json));
            lastWriteNanos = System.nanoTime();
        } catch (RuntimeException e) {
            if (e instanceof ClientDisconnected disconnected) {
                throw disconnected;
            }
            // Helidon reports a vanished client as an unchecked I/O error on the write.
            markGone();
            throw new ClientDisconnected("the client went away", e);
        } finally {
            lock.unlock();
        }
    }

    private void beatWhileQuiet() {
        lock.lock();
        try {
            while (!closed && !gone) {
                long quiet = System.nanoTime() - lastWriteNanos;
                if (quiet < heartbeatNanos) {
                    closing.await(heartbeatNanos - quiet, TimeUnit.NANOSECONDS);
                } else {
                    write(ChatEventJson.encode(new ChatEvent.Heartbeat(clock.now())));
                }
            }
        } catch (ClientDisconnected e) {
            LOG.log(Level.DEBUG, "Heartbeat found the client gone");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void markGone() {
        if (gone) {
            return;
        }
        gone = true;
        // Run outside any wait of the turn's thread: the actions close the model stream it may be blocked on.
        Thread.ofVirtual().name("sse-disconnect").start(() -> disconnectActions.forEach(Runnable::run));
    }
}
