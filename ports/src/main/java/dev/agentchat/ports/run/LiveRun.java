package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.EventIdReservation;
import dev.agentchat.domain.chat.Interruption;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ClientDisconnected;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.time.Signal;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A run this instance is executing: the numbered events it has emitted so far, which any number
 * of clients follow (each from where it left off). Its {@link RunWatch} keeps its limits, writes its
 * events to the {@link EventLog} and notices a cancel asked of another instance.
 *
 * <p>The turn only appends: every follower pulls the new events on its own thread, so a slow or
 * vanished client never holds up the run or the other clients. Followers get only the events whose
 * ids are reserved in the log ({@link EventIdReservation}); the watch extends the reservation as it
 * writes, well before the run reaches it.
 *
 * <p>A run resumed after a pause for approval goes on in a new live run, whose events continue the
 * ids of the stretch before ({@link #base()}): those earlier events are in the log, not here.
 */
public final class LiveRun {
    private static final System.Logger LOG = System.getLogger(LiveRun.class.getName());

    private final RunId runId;
    private final ThreadId threadId;
    private final LiveRuns owner;
    /** The place among its user's runs in progress that the run holds until it retires (or pauses). */
    private final RunSlot slot;
    /** When the run began, or was resumed, as the clock's interval reading. */
    private final long startedNanos;
    /** The time the run worked before this stretch: it counts towards the run's longest duration. */
    private final Duration workedBefore;
    /** The id of the last event of the run before this stretch; this one's events are numbered after it. */
    private final long base;
    /** Where the watch waits for the run's end or its next deadline, whichever comes first. */
    private final Signal watchWake;

    /** Guards everything below it; followers wait on {@code appended}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final List<RunEvent> events = new ArrayList<>();
    private boolean ended;
    private boolean retiredHere;
    private EventIdReservation reservation;
    private int followers;
    private Interruption interruption;
    private Consumer<Interruption> interrupter;

    /** When the model call in flight last sent something (or began), or 0 when no call is waiting. */
    private volatile long modelQuietSince;
    private volatile boolean retired;
    /** Where those who wait for the run to retire wait, each until its own deadline. */
    private final Signal retiring;

    /** The run as watched, once its turn began watching it, and by what: clients that follow it are linked to it. */
    private volatile Observation watched = Observation.NONE;
    private volatile Telemetry telemetry = Telemetry.OFF;

    LiveRun(Run run, RunSlot slot, LiveRuns owner) {
        this(run, slot, owner, 0, EventIdReservation.INITIAL);
    }

    /**
     * A stretch of {@code run} whose events are numbered after {@code base}, with the ids up to
     * {@code reservation} reserved in the log already.
     */
    LiveRun(Run run, RunSlot slot, LiveRuns owner, long base, EventIdReservation reservation) {
        if (base < 0) {
            throw new IllegalArgumentException("event ids are not negative, was " + base);
        }
        this.runId = run.id();
        this.slot = Objects.requireNonNull(slot, "slot");
        this.threadId = run.threadId();
        this.owner = owner;
        this.base = base;
        this.reservation = Objects.requireNonNull(reservation, "reservation");
        this.workedBefore = run.workedBefore();
        this.startedNanos = owner.clock().nanoTime();
        this.watchWake = owner.clock().newSignal();
        this.retiring = owner.clock().newSignal();
    }

    public RunId runId() {
        return runId;
    }

    /** The turn watches the run as {@code run}, through {@code telemetry}. */
    public void watchedAs(Observation run, Telemetry telemetry) {
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.watched = Objects.requireNonNull(run, "run");
    }

    /**
     * Makes the run's observation current on this thread until the scope is closed: for the run's own work done
     * beside its turn (its events written, its cancel looked for), so that it is watched as part of the run.
     */
    public Observation.Scope watchedHere() {
        return watched.makeCurrent();
    }

    /** A client follows the run from the request current on this thread: the run's observation is linked to it. */
    public void followedFromHere() {
        watched.link(telemetry.current());
    }

    // ---- the turn's side

    /** Adds the run's next event; never blocks on a client and never throws. */
    public void emit(ChatEvent event) {
        boolean last;
        lock.lock();
        try {
            if (ended) {
                return;
            }
            RunEvent numbered = new RunEvent(base + events.size() + 1L, event);
            events.add(numbered);
            appended.signalAll();
            last = numbered.isLast();
            ended |= last;
        } finally {
            lock.unlock();
        }
        if (last) {
            watchWake.signal();   // outside the lock: the watch reads isOver() under the signal
        }
    }

    /** What stops the turn from outside; run at once if the run was interrupted already. */
    public void onInterrupt(Consumer<Interruption> action) {
        Interruption already;
        lock.lock();
        try {
            interrupter = action;
            already = interruption;
        } finally {
            lock.unlock();
        }
        if (already != null) {
            stopTurn(action, already);
        }
    }

    /** The turn is waiting for the model, which has been quiet since now. */
    public void modelWaiting() {
        modelQuietSince = owner.clock().nanoTime();
    }

    /** The turn is not waiting for the model. */
    public void modelIdle() {
        modelQuietSince = 0;
    }

    /** The turn is over: followers get no more events, and the watch writes what is left to the log. */
    public void end() {
        lock.lock();
        try {
            ended = true;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
        watchWake.signal();
    }

    /**
     * The run waits for a person now, its pause stored: it works no more here, so its place among its
     * user's runs in progress goes back at once, not once its last events are written, and a decision
     * taken the moment its followers hear of the pause finds the place free. Retiring gives nothing back twice.
     */
    public void givePlaceBack() {
        slot.release();
    }

    // ---- the outside

    /** Stops the run as {@code why} says; the first interruption wins, later ones change nothing. */
    public void interrupt(Interruption why) {
        Consumer<Interruption> action;
        lock.lock();
        try {
            if (interruption != null || ended) {
                return;
            }
            interruption = why;
            action = interrupter;
        } finally {
            lock.unlock();
        }
        if (action != null) {
            stopTurn(action, why);
        }
    }

    /** Runs the turn's stop; a fault in it must not take the caller (the watch, say) down with it. */
    private void stopTurn(Consumer<Interruption> action, Interruption why) {
        try {
            action.accept(why);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Stopping run " + runId + " (" + why.reason().code() + ") failed", e);
        }
    }

    /**
     * Passes the opened {@code sink} the run's events numbered after {@code after}, then the new
     * ones as they come, until the last one or until the client leaves. Ids below {@link #base()} are
     * not here: a client that lacks them reads them from the log ({@link RunStreams}).
     *
     * @return true when the client got the run's last event
     * @throws IllegalArgumentException when {@code after} is below the base
     */
    public boolean follow(ChatEventSink sink, long after) {
        return followed(sink, after).reachedEnd();
    }

    /** As {@link #follow}, telling also whether the client left, and the id of the last event it got. */
    Followed followed(ChatEventSink sink, long after) {
        if (after < base) {
            throw new IllegalArgumentException("run " + runId + " numbers its events here after " + base
                    + ", not after " + after);
        }
        AtomicBoolean gone = new AtomicBoolean();
        AtomicLong sent = new AtomicLong(after);
        lock.lock();
        try {
            followers++;
        } finally {
            lock.unlock();
        }
        boolean reachedEnd = false;
        try {
            sink.onDisconnect(() -> {
                gone.set(true);
                wakeFollowers();
            });
            reachedEnd = pump(sink, sent, gone);
            return new Followed(reachedEnd, gone.get(), sent.get());
        } catch (ClientDisconnected e) {
            return new Followed(false, true, sent.get());
        } finally {
            left(reachedEnd);
        }
    }

    /**
     * How following a live run ended.
     *
     * @param reachedEnd the client got the run's last event
     * @param clientGone the client left
     * @param lastSent   the id of the last event the client got (or the one it followed after, if none)
     */
    record Followed(boolean reachedEnd, boolean clientGone, long lastSent) {
    }

    /** The client that started the run left before it could follow it: under the cancel policy, the run stops. */
    public void clientLeft() {
        lock.lock();
        try {
            followers++;
        } finally {
            lock.unlock();
        }
        left(false);
    }

    /** Waits at most {@code max} until the run is over and its events are written. */
    public boolean awaitRetired(Duration max) {
        return awaitRetiredUntil(owner.clock().nanoTime() + max.toNanos());
    }

    /** Waits until the run is over and its events are written, or until the clock reaches {@code deadline}. */
    boolean awaitRetiredUntil(long deadline) {
        try {
            return retiring.awaitUntil(() -> retired, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends the events after {@code sent}, keeping there the id of the last one sent; true once it sent the last event. */
    private boolean pump(ChatEventSink sink, AtomicLong sent, AtomicBoolean gone) {
        while (true) {
            List<RunEvent> batch;
            lock.lock();
            try {
                while (sendable() <= sent.get() && !gone.get() && !(ended && (retiredHere || sendable() == lastId()))) {
                    appended.awaitUninterruptibly();
                }
                if (gone.get()) {
                    return false;
                }
                if (sendable() <= sent.get()) {
                    // The turn ended without a last event (it paused for approval, or was cut off by a bug), or
                    // the log never took the reservation its last events needed: a follower of the log gets
                    // what comes next, or the stored end, instead.
                    return false;
                }
                batch = List.copyOf(events.subList((int) (sent.get() - base), (int) (sendable() - base)));
            } finally {
                lock.unlock();
            }
            for (RunEvent event : batch) {
                sink.emit(event);
                sent.set(event.sequence());
                if (event.isLast()) {
                    return true;
                }
            }
        }
    }

    /** The id of the last event followers may have: of those emitted, the last one reserved. Called with the lock held. */
    private long sendable() {
        return Math.min(lastId(), reservation.reservedThrough());
    }

    /** The id of the last event emitted (the base while none is). Called with the lock held. */
    private long lastId() {
        return base + events.size();
    }

    /** The id of the last event emitted so far (sent or not): a run that pauses is resumed past it. */
    public long lastSequence() {
        lock.lock();
        try {
            return lastId();
        } finally {
            lock.unlock();
        }
    }

    /** The id of the run's last event before this stretch (0 for a run that was not resumed): the first here is the next. */
    public long base() {
        return base;
    }

    /** The highest event id any client may have got from this run so far. */
    public long sentThrough() {
        lock.lock();
        try {
            return sendable();
        } finally {
            lock.unlock();
        }
    }

    private void wakeFollowers() {
        lock.lock();
        try {
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A follower left; under the cancel policy, the last one to leave early stops the run. */
    private void left(boolean reachedEnd) {
        boolean nobodyWatches;
        lock.lock();
        try {
            followers--;
            nobodyWatches = followers == 0 && !ended && !reachedEnd;
        } finally {
            lock.unlock();
        }
        if (nobodyWatches && owner.settings().onDisconnect() == RunSettings.DisconnectPolicy.CANCEL) {
            Duration grace = owner.settings().disconnectGrace();
            if (grace.isZero()) {
                interrupt(Interruption.clientLeft());
            } else {
                // A client that reconnects within the grace (a network blip, an EventSource's retry) keeps its run.
                Thread.ofVirtual().name("run-grace-" + runId).start(() -> stopUnlessFollowedAfter(grace));
            }
        }
    }

    private void stopUnlessFollowedAfter(Duration grace) {
        try {
            owner.clock().sleep(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        boolean nobodyCameBack;
        lock.lock();
        try {
            nobodyCameBack = followers == 0 && !ended;
        } finally {
            lock.unlock();
        }
        if (nobodyCameBack) {
            interrupt(Interruption.clientLeft());
        }
    }

    // ---- what the watch sees

    ThreadId threadId() {
        return threadId;
    }

    RunSlot slot() {
        return slot;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** The time the run worked before this stretch began. */
    Duration workedBefore() {
        return workedBefore;
    }

    /** When the model call in flight last sent something, or 0 when none is waiting. */
    long modelQuietSince() {
        return modelQuietSince;
    }

    /** Whether the run is being stopped from outside: its limits have nothing more to do. */
    boolean isStopping() {
        lock.lock();
        try {
            return interruption != null;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the clock reaches {@code wakeAtNanos}, or until the run is over (at once if it is); whether it is over. */
    boolean awaitOverUntil(long wakeAtNanos) throws InterruptedException {
        return watchWake.awaitUntil(this::isOver, wakeAtNanos);
    }

    private boolean isOver() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** The reservation a log batch holding the events through {@code emitted} should record. */
    long reservationToRecordWith(long emitted) {
        lock.lock();
        try {
            return reservation.toRecordWith(emitted);
        } finally {
            lock.unlock();
        }
    }

    /** A log batch that recorded {@code through} is kept: followers may have the events up to it. */
    void reserved(long through) {
        lock.lock();
        try {
            EventIdReservation before = reservation;
            reservation = reservation.kept(through);
            if (reservation != before) {
                appended.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The run's events of this stretch from the {@code index}-th (from 0) on, as they are now. */
    List<RunEvent> eventsFrom(int index) {
        lock.lock();
        try {
            return List.copyOf(events.subList(index, events.size()));
        } finally {
            lock.unlock();
        }
    }

    /** The watch is done: everything that could be logged is; the run leaves this instance's registry. */
    void retire() {
        lock.lock();
        try {
            retiredHere = true;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
        owner.retire(this);
        retired = true;
        retiring.signal();
    }
}
