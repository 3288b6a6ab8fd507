package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.EventIdReservation;
import dev.agentchat.domain.chat.Interruption;
import dev.agentchat.domain.refusal.ServiceDraining;
import dev.agentchat.domain.run.ActiveRunLimit;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.time.Signal;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The runs this instance is executing now: each runs on a virtual thread of its own, with a watch
 * beside it, and stays here until its events are written to the log, so a client that looks for
 * it after that finds every event in the log.
 *
 * <p>It also counts each user's runs in progress here, from the moment a chat is admitted (before
 * anything is stored) until its run retires, so that a limit on them holds however many chats of
 * one user arrive at once. The count is this instance's only: see {@link #admit}.
 *
 * <p>An instance that stops drains first ({@link #drain}): it admits no run from then on, lets those it
 * has finish ({@link #awaitIdle}), then ends the rest ({@link #stopAll}).
 */
public final class LiveRuns {
    private static final System.Logger LOG = System.getLogger(LiveRuns.class.getName());

    private final ConcurrentHashMap<RunId, LiveRun> running = new ConcurrentHashMap<>();
    /** Each user's admitted runs that have not retired; a user with none has no entry. */
    private final ConcurrentHashMap<UserId, Integer> activeByUser = new ConcurrentHashMap<>();
    private final EventLog log;
    private final RunStore runs;
    private final Clock clock;
    private final RunSettings settings;
    /**
     * Admissions hold it shared, the drain takes it alone: once {@link #drain} returns, no place is being
     * taken and none will be, so that "no place taken" means no run can start here any more.
     */
    private final ReadWriteLock admission = new ReentrantReadWriteLock();
    /** Guarded by {@link #admission}. */
    private boolean draining;
    /** Set by {@link #stopAll}: a run launched after it (its place taken before the drain) is ended at once. */
    private volatile boolean stopping;
    /** Where the drain waits for the last run to retire and the last place to be given back. */
    private final Signal idle;

    public LiveRuns(EventLog log, RunStore runs, Clock clock, RunSettings settings) {
        this.log = Objects.requireNonNull(log, "log");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.idle = clock.newSignal();
    }

    /**
     * Admits one more run of {@code user} if {@code limit} allows it, or refuses it ({@code TooManyActiveRuns}).
     * The check and the count are one atomic step, so of two chats racing for a user's last place
     * exactly one gets it. The place is the caller's to {@link RunSlot#release() release} if its run
     * never starts; once given to {@link #start}, the run releases it when it retires.
     *
     * <p>The count covers this instance only: with several instances behind a balancer, a user may have
     * up to the limit on each. A limit shared by all instances needs the count kept where they all see
     * it, changed atomically (a counter document per user updated under its ETag, say), and a lease on
     * each place, so that the places held by an instance that stopped without releasing them come back.
     */
    public RunSlot admit(UserId user, ActiveRunLimit limit) {
        admission.readLock().lock();
        try {
            if (draining) {
                throw new ServiceDraining();
            }
            activeByUser.compute(user, (who, active) -> limit.admit(active == null ? 0 : active));
        } finally {
            admission.readLock().unlock();
        }
        return new RunSlot(user, this);
    }

    /**
     * Starts no run here any more: every {@link #admit} from now on is refused ({@code ServiceDraining}), so a
     * new chat, a decision that would resume a run, or a client's tool results go to another instance. The runs
     * going on go on, and may still be followed and cancelled.
     */
    public void drain() {
        admission.writeLock().lock();
        try {
            draining = true;
        } finally {
            admission.writeLock().unlock();
        }
    }

    /**
     * Waits until no run goes on here and no place for one is taken (a chat admitted before the drain may
     * still be storing its run), or until {@code max} has passed on the clock; whether that came first.
     * Meant after {@link #drain}: before it, new runs may keep it from ever coming.
     */
    public boolean awaitIdle(Duration max) {
        try {
            return idle.awaitUntil(this::isIdle, clock.nanoTime() + max.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return isIdle();
        }
    }

    private boolean isIdle() {
        return running.isEmpty() && activeByUser.isEmpty();
    }

    /** How many runs of {@code user} are admitted here and not yet retired. */
    public int activeRunsOf(UserId user) {
        return activeByUser.getOrDefault(user, 0);
    }

    /** Gives one of the user's places back; the entry goes when the last one does, so idle users cost nothing. */
    void free(UserId user) {
        activeByUser.computeIfPresent(user, (who, active) -> active > 1 ? active - 1 : null);
        idle.signal();
    }

    /**
     * Starts {@code turn} on a thread of its own for the stored {@code run}; the turn ends the run it is
     * given, and the run holds {@code slot} until it retires.
     */
    public LiveRun start(Run run, RunSlot slot, Consumer<LiveRun> turn) {
        return launch(new LiveRun(run, slot, this), turn);
    }

    /**
     * Starts {@code turn} for the stored {@code run}, resumed after a pause for approval (on this
     * instance or another): its events are numbered from {@code lastEventId + 1}, within
     * {@code reservation}; it may work for what is left of the longest run after the time it worked
     * before ({@link Run#workedBefore()}); and it holds {@code slot} until it retires.
     */
    public LiveRun resume(Run run, RunSlot slot, long lastEventId, EventIdReservation reservation,
                          Consumer<LiveRun> turn) {
        return launch(new LiveRun(run, slot, this, lastEventId, reservation), turn);
    }

    private LiveRun launch(LiveRun live, Consumer<LiveRun> turn) {
        RunId id = live.runId();
        running.put(id, live);
        if (stopping) {
            // Admitted before the drain, launched after the rest were ended: it ends as they did, at once.
            live.interrupt(Interruption.serviceStopping());
        }
        Thread.ofVirtual().name("run-watch-" + id).start(new RunWatch(live, this));
        Thread.ofVirtual().name("run-" + id).start(() -> {
            try {
                turn.accept(live);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "Run " + id + " failed outside its turn", e);
            } finally {
                live.end();
            }
        });
        return live;
    }

    /** The run, if this instance is executing it (or still writing its events). */
    public Optional<LiveRun> find(RunId runId) {
        return Optional.ofNullable(running.get(runId));
    }

    /** How many runs this instance is executing. */
    public int count() {
        return running.size();
    }

    /**
     * Ends every run still going here, failed ({@code service_stopping}), keeping their answers so
     * far, and waits up to {@code patience} for their ends to be stored and logged: stopping cleanly
     * spares their threads the wait for abandoned-run recovery. It drains first, and ends at once a run
     * whose place was taken before the drain but which starts only now. Returns how many were still running.
     */
    public int stopAll(Duration patience) {
        drain();
        stopping = true;
        List<LiveRun> all = List.copyOf(running.values());
        all.forEach(live -> live.interrupt(Interruption.serviceStopping()));
        long deadline = clock.nanoTime() + patience.toNanos();
        for (LiveRun live : all) {
            live.awaitRetiredUntil(deadline);
        }
        try {
            // And those launched meanwhile, ended as they start; and places still held: a chat admitted before the
            // drain whose records are being stored launches its run soon, which must end here before the store closes.
            idle.awaitUntil(this::isIdle, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return all.size();
    }

    void retire(LiveRun live) {
        running.remove(live.runId(), live);
        live.slot().release();
        idle.signal();   // a run that gave its place back before (it paused) frees none now
    }

    RunSettings settings() {
        return settings;
    }

    EventLog log() {
        return log;
    }

    RunStore runs() {
        return runs;
    }

    Clock clock() {
        return clock;
    }
}
