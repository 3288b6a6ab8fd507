package dev.agentchat.adapter.http.chat;

import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.time.Signal;
import dev.agentchat.adapter.http.edge.GuardedHttp1;
import dev.agentchat.adapter.http.edge.HeadResponse;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One response that a run's frames stream out on, in whatever encoding its sink gives them (this
 * service's events, AG-UI's): one frame on the wire at a time, heartbeats in the silences, and a client
 * that has left or stopped reading let go.
 *
 * <p>The thread that follows the run for this client writes each frame to the socket itself: it
 * serves this client alone, so a write that waits for a slow client holds up nobody else, and no
 * hand-over to another thread sits between a token and the wire. A ticker thread writes a heartbeat
 * after half the interval of silence, and cuts off a client whose one write has been stuck for a
 * whole interval (a client that stopped reading): the stuck thread is interrupted, which closes the
 * socket under it. TCP reports a client that has left only on the second write after it left (the
 * first draws the reset), so beating at half the interval is what lets a vanished client be noticed
 * within one interval.
 *
 * <p>Every interval is the {@link Clock}'s: the ticker waits on a signal of that clock, so a test that
 * moves a manual clock by half the interval sees one heartbeat. A token's write only stores when it
 * began and ended (a clock reading each) and wakes nobody, unless a thread is waiting for that write to
 * end: the ticker keeps its own schedule.
 */
public final class EventStream<F> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventStream.class.getName());

    /** Where the frames go once the stream is open: the response's body, as SSE in some encoding. */
    public interface Wire<F> {
        /** Puts a frame on the wire now; a vanished client is reported as an unchecked exception. */
        void send(F frame);

        /** Ends the body after its last frame; the connection may serve the client's next request. */
        void end();

        /** Ends the body by cutting the connection: the client has gone, or a write to it was stuck. */
        void cut();
    }

    private final ServerResponse response;
    private final Clock clock;
    private final long stallNanos;
    private final long beatNanos;
    private final OpenStreams streams;
    private final OpenStreams.Kind kind;
    /** The request this stream answers, as the telemetry watches it: what the stream's observation is begun within. */
    private final Observation request;
    /** The stream, watched from its opening to its close. */
    private Observation observed = Observation.NONE;
    private final List<Runnable> disconnectActions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean gone = new AtomicBoolean();
    /**
     * Wakes the ticker when the stream ends, and a thread waiting for the write in flight when that write
     * is done; its deadlines are the clock's.
     */
    private final Signal changed;
    private volatile boolean tickerStopped;
    /** Threads waiting for the write in flight: only then does a finished write signal. */
    private final AtomicInteger waitingToWrite = new AtomicInteger();

    /** One frame on the wire at a time: the follower's events and the ticker's heartbeats. */
    private final ReentrantLock writing = new ReentrantLock();
    /** The last event was written: no heartbeat may follow it. Guarded by {@code writing}. */
    private boolean finished;
    private volatile long lastWriteNanos;
    /** When the write in flight began, or 0 when none is; and the thread writing it. */
    private volatile long writeStartedNanos;
    private volatile Thread writer;

    private Wire<F> wire;
    /** The handler's work ended normally: only then does the body end with its last chunk rather than a cut. */
    private volatile boolean completed;
    private boolean closed;
    private Supplier<F> heartbeat;
    private Thread ticker;

    /** A stream of {@code kind}, made on the thread that handles its request (the request's observation is current). */
    public EventStream(ServerResponse response, Clock clock, Duration heartbeatInterval, OpenStreams streams,
                       OpenStreams.Kind kind) {
        this.response = response;
        this.kind = kind;
        this.request = streams.current();
        this.clock = clock;
        this.changed = clock.newSignal();
        this.streams = streams;
        this.stallNanos = heartbeatInterval.toNanos();
        this.beatNanos = Math.max(1, heartbeatInterval.toNanos() / 2);
    }

    /**
     * Sends the headers, with the run's ids, and opens the wire that {@code opening} makes of the response;
     * {@code heartbeat} makes the frame a silence gets. False when the client asked for the headers only.
     */
    public boolean open(RunId runId, ThreadId threadId, Function<ServerResponse, Wire<F>> opening, Supplier<F> heartbeat) {
        // Headers go out with the sink's creation, so they are set first.
        response.header("X-Run-Id", runId.value());
        response.header("X-Thread-Id", threadId.value());
        response.header("Cache-Control", "no-cache");
        response.header("X-Accel-Buffering", "no");
        if (response instanceof HeadResponse head) {
            // HEAD: the stream's status and headers, and no events; the client is gone at once.
            head.header(HeaderValues.CONTENT_TYPE_EVENT_STREAM);
            head.sendHeadersOnly();
            markGone("it asked for the headers only (HEAD)");
            return false;
        }
        // The silence starts before the headers go out: a client that has them may count on the first heartbeat.
        lastWriteNanos = clock.nanoTime();
        this.heartbeat = heartbeat;
        wire = opening.apply(response);
        // The request is read whole; a stream may hold its connection for minutes, the guard need not keep its bytes.
        GuardedHttp1.requestReadWhole();
        observed = streams.opened(kind, request);
        ticker = Thread.ofVirtual().name("sse-ticker-" + runId).start(this::tick);
        return true;
    }

    /**
     * Writes a frame, waiting for a write in flight at most a heartbeat interval (one stuck that long
     * means a client that stopped reading, and it is cut off); {@code last} ends the stream's frames.
     * False when the client has gone.
     */
    public boolean write(F frame, boolean last) {
        return write(frame, last, stallNanos);
    }

    /** Whether the stream has opened: its status and headers are on the wire, and no other answer may follow. */
    public boolean isOpen() {
        return wire != null;
    }

    /**
     * Says that everything this stream was to carry has been written: the request's work ended normally. A
     * stream closed without this (its work threw) is cut, not ended, so that the client sees a broken body
     * rather than one that merely stops.
     */
    public void complete() {
        completed = true;
    }

    /** Runs {@code action} once the client is found gone (at once, if it is already). */
    public void onDisconnect(Runnable action) {
        disconnectActions.add(action);
        if (gone.get()) {
            action.run();
        }
    }

    /**
     * Ends the stream, once: stops the ticker, and ends the body after its last frame if the stream was
     * {@link #complete completed} and its client is still there, or cuts the connection otherwise.
     */
    @Override
    public void close() {
        if (wire == null || closed) {
            return;
        }
        closed = true;
        boolean whole = false;
        try {
            if (lockWriting(stallNanos)) {
                try {
                    finished = true;
                    whole = completed && !gone.get();
                } finally {
                    writing.unlock();
                }
            } else {
                abandon("its last write has been stuck for a whole heartbeat interval");
            }
            stopTicking();
            // A bound on real time, not the clock's: the ticker leaves as soon as it is woken, whatever the time.
            ticker.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            whole = false;
        } finally {
            // Ended before the body is, so that it ends within its request, which ends with the body's last byte; and
            // ended well however it ended: a client that leaves a stream is no failure of the service's.
            observed.end(Outcome.DONE);
            try {
                if (whole && !gone.get()) {
                    wire.end();
                } else {
                    wire.cut();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Closing an SSE stream whose client left", e);
            }
            streams.closed();
        }
    }

    /**
     * Writes a frame; false when the client has gone. Waits at most {@code patienceNanos} for a write
     * in flight: one stuck that long means a client that stopped reading, and it is cut off.
     */
    private boolean write(F frame, boolean last, long patienceNanos) {
        if (gone.get()) {
            return false;
        }
        try {
            if (!lockWriting(patienceNanos)) {
                if (patienceNanos > 0) {
                    abandon("a write to it has been stuck for a whole heartbeat interval");
                }
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
            wire.send(frame);
            lastWriteNanos = clock.nanoTime();
            finished = last;
            return true;
        } catch (RuntimeException e) {
            // Helidon reports a vanished client (and a write interrupted for being stuck) as an unchecked I/O error.
            Thread.interrupted();
            LOG.log(Level.DEBUG, "SSE write failed", e);
            markGone("a write to it failed");
            return false;
        } finally {
            writeStartedNanos = 0;
            writer = null;
            writing.unlock();
            if (waitingToWrite.get() > 0) {
                changed.signal();
            }
        }
    }

    /**
     * Takes the right to write, waiting at most {@code patienceNanos} of the clock for the write in flight.
     * The common case, nobody writing, takes the lock at once and touches neither the clock nor the signal.
     */
    private boolean lockWriting(long patienceNanos) throws InterruptedException {
        if (writing.tryLock()) {
            return true;
        }
        if (patienceNanos <= 0) {
            return false;
        }
        long deadline = clock.nanoTime() + patienceNanos;
        waitingToWrite.incrementAndGet();
        try {
            // Counted as waiting before the lock is tried again, so the write in flight cannot end unseen.
            return changed.awaitUntil(writing::tryLock, deadline);
        } finally {
            waitingToWrite.decrementAndGet();
        }
    }

    private void tick() {
        try {
            while (!gone.get()) {
                long now = clock.nanoTime();
                long started = writeStartedNanos;
                if (started != 0 && now - started >= stallNanos) {
                    abandon("one write to it has been stuck for a whole heartbeat interval");
                    return;
                }
                long quiet = now - lastWriteNanos;
                if (quiet >= beatNanos && started == 0) {
                    // A write that cannot have the lock at once is one in flight: no silence to fill.
                    write(heartbeat.get(), false, 0);
                    lastWriteNanos = Math.max(lastWriteNanos, now);
                    continue;
                }
                long wait = beatNanos - quiet;
                if (started != 0) {
                    wait = Math.min(wait, started + stallNanos - now);
                }
                if (changed.awaitUntil(this::tickingStopped, now + Math.max(wait, 1_000_000))) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean tickingStopped() {
        return tickerStopped || gone.get();
    }

    private void stopTicking() {
        tickerStopped = true;
        // Also called by a writer that holds `writing`: safe, as the conditions read under this signal only
        // try that lock (tryLock), never wait for it.
        changed.signal();
    }

    /** Cuts off a client that does not take what is written: the thread stuck writing to it is interrupted. */
    private void abandon(String why) {
        markGone(why);
        Thread stuck = writer;
        if (stuck != null && stuck != Thread.currentThread()) {
            stuck.interrupt();
        }
    }

    private void markGone(String why) {
        if (gone.compareAndSet(false, true)) {
            LOG.log(Level.DEBUG, "SSE client counted as gone: {0}", why);
            stopTicking();
            disconnectActions.forEach(Runnable::run);
        }
    }
}
