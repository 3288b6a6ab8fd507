package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.Interruption;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ClientDisconnected;
import dev.agentchat.ports.store.RecordConflict;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A run this instance is executing: the numbered events it has emitted so far, which any number
 * of clients follow (each from where it left off), and the watch that keeps its limits, writes
 * its events to the {@link EventLog} and notices a cancel asked of another instance.
 *
 * <p>The turn only appends: every follower pulls the new events on its own thread, so a slow or
 * vanished client never holds up the run or the other clients.
 */
public final class LiveRun {
    private static final System.Logger LOG = System.getLogger(LiveRun.class.getName());
    /** Tries of the last write to the event log before its events are given up for other instances. */
    private static final int LAST_FLUSH_TRIES = 3;
    private static final long MIN_WAIT_NANOS = 1_000_000;

    private final RunId runId;
    private final ThreadId threadId;
    private final LiveRuns owner;
    private final long startedNanos = System.nanoTime();

    /** Guards everything below it; followers wait on {@code appended}, the watch on {@code watchWake}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final Condition watchWake = lock.newCondition();
    private final List<RunEvent> events = new ArrayList<>();
    private int logged;
    /** A batch the log refused, written again before anything newer; the watch's own. */
    private List<RunEvent> failedBatch;
    private boolean ended;
    private int followers;
    private Interruption interruption;
    private Consumer<Interruption> interrupter;

    /** When the model call in flight last sent something (or began), or 0 when no call is waiting. */
    private volatile long modelQuietSince;
    private final CountDownLatch retired = new CountDownLatch(1);

    LiveRun(Run run, LiveRuns owner) {
        this.runId = run.id();
        this.threadId = run.threadId();
        this.owner = owner;
    }

    public RunId runId() {
        return runId;
    }

    // ---- the turn's side

    /** Adds the run's next event; never blocks on a client and never throws. */
    public void emit(ChatEvent event) {
        lock.lock();
        try {
            if (ended) {
                return;
            }
            RunEvent numbered = new RunEvent(events.size() + 1L, event);
            events.add(numbered);
            appended.signalAll();
            if (numbered.isLast()) {
                ended = true;
                watchWake.signalAll();
            }
        } finally {
            lock.unlock();
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
        modelQuietSince = System.nanoTime();
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
            watchWake.signalAll();
        } finally {
            lock.unlock();
        }
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
     * ones as they come, until the last one or until the client leaves.
     *
     * @return true when the client got the run's last event
     */
    public boolean follow(ChatEventSink sink, long after) {
        AtomicBoolean gone = new AtomicBoolean();
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
            reachedEnd = pump(sink, Math.max(after, 0), gone);
            return reachedEnd;
        } catch (ClientDisconnected e) {
            return false;
        } finally {
            left(reachedEnd);
        }
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
        try {
            return retired.await(max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean pump(ChatEventSink sink, long after, AtomicBoolean gone) {
        long sent = after;
        while (true) {
            List<RunEvent> batch;
            lock.lock();
            try {
                while (events.size() <= sent && !ended && !gone.get()) {
                    appended.awaitUninterruptibly();
                }
                if (gone.get()) {
                    return false;
                }
                if (events.size() <= sent) {
                    return false;   // the turn ended without a last event (it was cut off by a bug)
                }
                batch = List.copyOf(events.subList((int) sent, events.size()));
            } finally {
                lock.unlock();
            }
            for (RunEvent event : batch) {
                sink.emit(event);
                sent = event.sequence();
                if (event.isLast()) {
                    return true;
                }
            }
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
            interrupt(Interruption.clientLeft());
        }
    }

    // ---- the watch

    /** Keeps the run's limits, writes its events to the log, and retires it once it is over. */
    void watch() {
        RunSettings settings = owner.settings();
        long flushEvery = settings.eventFlushInterval().toNanos();
        long checkEvery = settings.cancelCheckInterval().toNanos();
        long deadline = startedNanos + settings.maxRunDuration().toNanos();
        long idleLimit = settings.modelIdleTimeout().toNanos();
        long nextFlush = System.nanoTime() + flushEvery;
        long nextCheck = System.nanoTime() + checkEvery;
        try {
            while (true) {
                boolean over;
                boolean stopping;
                lock.lock();
                try {
                    stopping = interruption != null;
                    long quietSince = modelQuietSince;
                    long wake = Math.min(nextFlush, nextCheck);
                    if (!stopping) {
                        // Once the run is being stopped, its limits have nothing more to do.
                        wake = Math.min(wake, deadline);
                        if (quietSince != 0) {
                            wake = Math.min(wake, quietSince + idleLimit);
                        }
                    }
                    // At least a millisecond: a deadline already past must not turn the watch into a spin.
                    long wait = Math.max(wake - System.nanoTime(), MIN_WAIT_NANOS);
                    if (!ended) {
                        watchWake.awaitNanos(wait);
                    }
                    over = ended;
                } finally {
                    lock.unlock();
                }
                if (over) {
                    writeLast();
                    return;
                }
                long now = System.nanoTime();
                if (now >= nextFlush) {
                    flush();
                    nextFlush = now + flushEvery;
                }
                if (!stopping) {
                    keepLimits(now, deadline, idleLimit, settings);
                }
                if (now >= nextCheck) {
                    checkForCancel();
                    nextCheck = now + checkEvery;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "The watch of run " + runId + " failed", e);
        } finally {
            owner.retire(this);
            retired.countDown();
        }
    }

    private void keepLimits(long now, long deadline, long idleLimit, RunSettings settings) {
        if (now >= deadline) {
            interrupt(Interruption.runTimedOut(settings.maxRunDuration()));
            return;
        }
        long quietSince = modelQuietSince;
        if (quietSince != 0 && now - quietSince >= idleLimit) {
            interrupt(Interruption.modelTimedOut(settings.modelIdleTimeout()));
        }
    }

    /**
     * Writes the events not yet in the log; false when the log refused them. A batch that failed is
     * written again with the same bounds before anything newer: if its first write went through after
     * all, the second is refused as a duplicate and the batch counts as kept, which only holds when its
     * bounds are the same.
     */
    private boolean flush() {
        if (failedBatch != null) {
            if (!write(failedBatch)) {
                return false;
            }
            failedBatch = null;
        }
        List<RunEvent> unlogged;
        lock.lock();
        try {
            unlogged = List.copyOf(events.subList(logged, events.size()));
        } finally {
            lock.unlock();
        }
        if (!write(unlogged)) {
            failedBatch = unlogged;
            return false;
        }
        return true;
    }

    private boolean write(List<RunEvent> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        try {
            owner.log().append(threadId, runId, batch, owner.clock().now().plus(owner.settings().eventRetention()));
        } catch (RecordConflict e) {
            // An earlier write of this very batch went through although its caller did not hear so.
            LOG.log(Level.DEBUG, "Events of run {0} were in the log already", runId);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not keep " + batch.size() + " events of run " + runId + " in the event log", e);
            return false;
        }
        lock.lock();
        try {
            logged += batch.size();
        } finally {
            lock.unlock();
        }
        return true;
    }

    private void writeLast() throws InterruptedException {
        for (int attempt = 1; attempt <= LAST_FLUSH_TRIES; attempt++) {
            if (flush()) {
                return;
            }
            Thread.sleep(100L * attempt * attempt);
        }
        LOG.log(Level.WARNING, "The last events of run {0} are not in the event log; other instances cannot replay them",
                runId);
    }

    /** A cancel asked of another instance is only in the store: the run looks there now and then. */
    private void checkForCancel() {
        try {
            owner.runs().find(threadId, runId)
                    .filter(stored -> stored.status() == RunStatus.CANCELLING)
                    .ifPresent(stored -> interrupt(Interruption.cancelled()));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Could not look for a cancel of run " + runId, e);
        }
    }
}
