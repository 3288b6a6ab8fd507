package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.EventIdReservation;
import dev.agentchat.domain.chat.Interruption;
import dev.agentchat.domain.run.ActiveRunLimit;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.time.Clock;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The runs this instance is executing now: each runs on a virtual thread of its own, with a watch
 * beside it, and stays here until its events are written to the log, so a client that looks for
 * it after that finds every event in the log.
 *
 * <p>It also counts each user's runs in progress here, from the moment a chat is admitted (before
 * anything is stored) until its run retires, so that a limit on them holds however many chats of
 * one user arrive at once. The count is this instance's only: see {@link #admit}.
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

    public LiveRuns(EventLog log, RunStore runs, Clock clock, RunSettings settings) {
        this.log = Objects.requireNonNull(log, "log");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
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
        activeByUser.compute(user, (who, active) -> limit.admit(active == null ? 0 : active));
        return new RunSlot(user, this);
    }

    /** How many runs of {@code user} are admitted here and not yet retired. */
    public int activeRunsOf(UserId user) {
        return activeByUser.getOrDefault(user, 0);
    }

    /** Gives one of the user's places back; the entry goes when the last one does, so idle users cost nothing. */
    void free(UserId user) {
        activeByUser.computeIfPresent(user, (who, active) -> active > 1 ? active - 1 : null);
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
     * spares their threads the wait for abandoned-run recovery. Returns how many were still running.
     */
    public int stopAll(Duration patience) {
        List<LiveRun> all = List.copyOf(running.values());
        all.forEach(live -> live.interrupt(Interruption.serviceStopping()));
        long deadline = clock.nanoTime() + patience.toNanos();
        for (LiveRun live : all) {
            live.awaitRetiredUntil(deadline);
        }
        return all.size();
    }

    void retire(LiveRun live) {
        running.remove(live.runId(), live);
        live.slot().release();
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
