package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.Interruption;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
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
 */
public final class LiveRuns {
    private static final System.Logger LOG = System.getLogger(LiveRuns.class.getName());

    private final ConcurrentHashMap<RunId, LiveRun> running = new ConcurrentHashMap<>();
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

    /** Starts {@code turn} on a thread of its own for the stored {@code run}; the turn ends the run it is given. */
    public LiveRun start(Run run, Consumer<LiveRun> turn) {
        LiveRun live = new LiveRun(run, this);
        running.put(run.id(), live);
        Thread.ofVirtual().name("run-watch-" + run.id()).start(new RunWatch(live, this));
        Thread.ofVirtual().name("run-" + run.id()).start(() -> {
            try {
                turn.accept(live);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "Run " + run.id() + " failed outside its turn", e);
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
