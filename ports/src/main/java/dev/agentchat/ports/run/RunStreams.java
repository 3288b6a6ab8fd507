package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.refusal.EventsExpired;
import dev.agentchat.domain.refusal.UnknownEventId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ClientDisconnected;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.time.Signal;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Where clients follow runs: straight from the run if this instance executes it, otherwise through
 * the {@link EventLog}, which the executing instance writes to every flush interval.
 */
public final class RunStreams {
    /** How often a client following a run that waits for a person looks whether it was decided. */
    static final Duration WAITING_POLL = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(RunStreams.class.getName());
    /** Events read from the log at once. */
    private static final int PAGE = 500;

    private final LiveRuns live;
    private final EventLog log;
    private final RunStore runs;
    private final Clock clock;
    private final RunSettings settings;

    public RunStreams(LiveRuns live, EventLog log, RunStore runs, Clock clock, RunSettings settings) {
        this.live = Objects.requireNonNull(live, "live");
        this.log = Objects.requireNonNull(log, "log");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public LiveRuns live() {
        return live;
    }

    public RunSettings settings() {
        return settings;
    }

    /**
     * Refuses, before anything is sent, to follow a run that ended so long ago its events are gone.
     *
     * @throws EventsExpired when they are
     */
    public void checkReplayable(Run run) {
        if (run.eventsExpired(settings.eventRetention(), clock.now()) && live.find(run.id()).isEmpty()) {
            throw new EventsExpired(run.id());
        }
    }

    /**
     * Passes the run's events after {@code after} to {@code sink} until the last one, or until the
     * client leaves; true when the client got the last event. A run that pauses for approval is
     * followed on through the pause (from the log) while the client stays, unless the sink
     * {@linkplain ChatEventSink#followsPastPauses() stops at pauses}.
     *
     * @throws UnknownEventId before anything is sent, when the run has sent no event {@code after}: it is
     *                        past the run's last event, or past every id its instance may have used so far
     */
    public boolean follow(Run run, ChatEventSink sink, long after) {
        boolean acrossPauses = sink.followsPastPauses();
        // A run resumed here numbers its events past its pause: a client that lacks earlier ones reads the log.
        Optional<LiveRun> here = live.find(run.id()).filter(running -> after >= running.base());
        if (here.isPresent()) {
            long sent = here.get().sentThrough();
            // The log may be ahead of what this instance let its own followers have (a write it heard
            // fail went through, or its answer is on the way): a client that followed the log elsewhere
            // got what the log holds, resumes here too, and waits for the rest.
            if (after > sent && after > log.logged(run.threadId(), run.id()).lastSequence()) {
                throw new UnknownEventId(run.id(), after, sent);
            }
            sink.open(run.id(), run.threadId());
            here.get().followedFromHere();
            return followHere(run, here.get(), sink, after, acrossPauses);
        }
        if (after <= 0) {
            sink.open(run.id(), run.threadId());
            return followLog(run, sink, 0, acrossPauses);
        }
        LoggedEvents logged = log.logged(run.threadId(), run.id());
        if (after > knownToTheLog(logged)) {
            throw new UnknownEventId(run.id(), after, logged.lastSequence());
        }
        sink.open(run.id(), run.threadId());
        if (logged.endLogged() && after == logged.lastSequence()) {
            return true;   // the client saw the run's last event: it is owed nothing more
        }
        return followLog(run, sink, after, acrossPauses);
    }

    /**
     * Passes the events of {@code run}, executing here as {@code running}, to {@code sink} from the
     * first: past a pause for approval too, from the log, until the run's last event or until the
     * client leaves; true when the client got the last event. A sink that
     * {@linkplain ChatEventSink#followsPastPauses() stops at pauses} is not followed past one.
     */
    public boolean followAcrossPauses(Run run, LiveRun running, ChatEventSink sink) {
        if (running.base() > 0) {
            // not the run's first stretch: what came before it is in the log alone
            return followLog(run, sink, 0, sink.followsPastPauses());
        }
        return followHere(run, running, sink, 0, sink.followsPastPauses());
    }

    /**
     * Follows the stretch of {@code run} this instance executes as {@code running}, and, when that stretch
     * paused for approval while the client stayed, the rest of the run from the log: whichever instance
     * resumes it writes its events there.
     */
    private boolean followHere(Run run, LiveRun running, ChatEventSink sink, long after, boolean acrossPauses) {
        LiveRun.Followed followed = running.followed(sink, after);
        if (followed.reachedEnd() || followed.clientGone() || !acrossPauses || !pausedAtTheEndOf(run, running)) {
            return followed.reachedEnd();
        }
        return followLog(run, sink, followed.lastSent(), true);
    }

    /**
     * Whether the stretch {@code running} ended by pausing the run for approval: the stored pause (or a
     * later one) is numbered past each of its events. The pause is stored before its events are emitted.
     */
    private boolean pausedAtTheEndOf(Run run, LiveRun running) {
        try {
            return runs.find(run.threadId(), run.id())
                    .map(Run::approvals)
                    .filter(pause -> pause.pausedAtEvent() >= running.lastSequence())
                    .isPresent();
        } catch (RuntimeException e) {
            // The client's stream ends; it may come back with the last id it got.
            LOG.log(Level.WARNING, "Could not read run " + run.id() + " to follow it past its pause", e);
            return false;
        }
    }

    /**
     * What the event log holds of {@code waiting}'s events once its pause is there, for resuming it: the
     * pausing instance writes its last batch (through {@code approvals().pausedAtEvent()}) as its stretch
     * retires, perhaps just after a decision came. Waits for that at most as long as a run's last events
     * may take to reach the log; an instance that died never writes it, and the log is then taken as it is.
     */
    public LoggedEvents awaitPauseLogged(Run waiting) {
        long pausedAt = waiting.approvals() == null ? 0 : waiting.approvals().pausedAtEvent();
        long giveUp = clock.nanoTime() + lastEventGrace().toNanos();
        live.find(waiting.id()).ifPresent(running -> running.awaitRetiredUntil(giveUp));
        LoggedEvents logged = log.logged(waiting.threadId(), waiting.id());
        while (logged.lastSequence() < pausedAt && clock.nanoTime() - giveUp < 0) {
            pause(settings.eventFlushInterval(), clock.newSignal(), () -> false);
            logged = log.logged(waiting.threadId(), waiting.id());
        }
        return logged;
    }

    /**
     * Waits until the run has ended (here or elsewhere), or waits for approval, at most as long as a
     * run may take; the run as stored then.
     */
    public Run awaitEnd(Run run) {
        live.find(run.id()).ifPresent(running -> running.awaitRetired(settings.abandonedAfter()));
        long giveUp = clock.nanoTime() + settings.abandonedAfter().toNanos();
        // Read it again: a run that waited when the caller read it may have been decided since.
        Run current = runs.find(run.threadId(), run.id()).orElse(run);
        while (!settled(current) && clock.nanoTime() - giveUp < 0) {
            pause(settings.eventFlushInterval(), clock.newSignal(), () -> false);
            current = runs.find(run.threadId(), run.id()).orElse(current);
        }
        return current;
    }

    /** Whether the run has ended, or waits for a person: either way nobody works on it. */
    private static boolean settled(Run run) {
        return run.status().isTerminal() || run.status() == RunStatus.REQUIRES_ACTION;
    }

    /**
     * Follows a run another instance executes (or executed), by polling the log just after the writer's
     * flushes are due ({@link FlushCadence}), through any pause for approval ({@code acrossPauses}) or up
     * to it. Its last event
     * reaches the log up to a flush after the run is stored as ended; if the log still lacks it well
     * after that (its instance could not write it), the end the store recorded is logged past every
     * id the instance may have used, and the client gets it from there.
     */
    private boolean followLog(Run run, ChatEventSink sink, long after, boolean acrossPauses) {
        AtomicBoolean gone = new AtomicBoolean();
        Signal leaving = clock.newSignal();
        try {
            sink.onDisconnect(() -> {
                gone.set(true);
                leaving.signal();
            });
            long sent = after;
            long endSeenAt = 0;
            FlushCadence cadence = new FlushCadence(settings.eventFlushInterval());
            long interval = settings.eventFlushInterval().toNanos();
            long runReadAt = 0;
            while (!gone.get()) {
                long readAt = clock.nanoTime();
                List<RunEvent> batch = log.readAfter(run.threadId(), run.id(), sent, PAGE, clock.now());
                for (RunEvent event : batch) {
                    sink.emit(event);
                    sent = event.sequence();
                    if (event.isLast()) {
                        return true;
                    }
                }
                if (batch.size() == PAGE) {
                    continue;
                }
                // The run is read when the log had nothing new, at most once a flush interval (the reads a step
                // apart that look for the writer's flush need not), and when a batch ends at a pause for approval,
                // which only the run tells apart from a call that was allowed: a query saved on most reads.
                boolean atAPause = !batch.isEmpty() && batch.getLast().event() instanceof ChatEvent.ApprovalRequired;
                boolean runDue = batch.isEmpty() && (runReadAt == 0 || readAt - runReadAt >= interval);
                if (!atAPause && !runDue) {
                    pauseUntil(cadence.nextRead(readAt, !batch.isEmpty()), leaving, gone::get);
                    continue;
                }
                runReadAt = readAt;
                Run current = runs.find(run.threadId(), run.id()).orElse(run);
                if (current.status().isTerminal()) {
                    LoggedEvents logged = log.logged(run.threadId(), run.id());
                    if (logged.endLogged() && logged.lastSequence() <= sent) {
                        // The run ended below the id the client resumed after (it could not be told
                        // while the run went on elsewhere): there is nothing the client lacks.
                        return false;
                    }
                    long now = clock.nanoTime();
                    endSeenAt = endSeenAt == 0 ? now : endSeenAt;
                    if (now - endSeenAt > lastEventGrace().toNanos()) {
                        logStoredEnd(current);
                        endSeenAt = now;   // read it back at once; should the write fail, try again after a grace
                        continue;
                    }
                } else if (current.status() == RunStatus.REQUIRES_ACTION && !acrossPauses) {
                    // What follows waits for a person, and the caller does not; but first the pause's own events,
                    // which reach the log a flush after the pause is stored (or never, from an instance that died).
                    long now = clock.nanoTime();
                    endSeenAt = endSeenAt == 0 ? now : endSeenAt;
                    if (sent >= current.approvals().pausedAtEvent() || now - endSeenAt > lastEventGrace().toNanos()) {
                        return false;
                    }
                } else if (current.status() == RunStatus.REQUIRES_ACTION
                        && sent >= current.approvals().pausedAtEvent()) {
                    // The client has every event up to the pause; nothing more comes until someone decides,
                    // which a read of the run alone tells, and a person takes seconds, not milliseconds.
                    endSeenAt = 0;
                    awaitDecision(current, leaving, gone);
                    // Whichever instance takes the run on writes on a cadence of its own.
                    cadence = new FlushCadence(settings.eventFlushInterval());
                    continue;
                } else {
                    // Still going, or waiting for a decision: either way its end is not due yet.
                    endSeenAt = 0;
                }
                if (atAPause && current.status() == RunStatus.IN_PROGRESS) {
                    // Decided already, and perhaps taken on by another instance, which writes on a cadence of its own.
                    cadence = new FlushCadence(settings.eventFlushInterval());
                }
                pauseUntil(cadence.nextRead(readAt, !batch.isEmpty()), leaving, gone::get);
            }
            return false;
        } catch (ClientDisconnected e) {
            return false;
        }
    }

    /**
     * Waits until {@code waiting} no longer waits for a person (or the client leaves), reading only the
     * run, every {@link #WAITING_POLL}: a client may keep a waiting run open for as long as approvals
     * may take, and reading the log too, at every flush, would cost a query per flush for nothing.
     */
    private void awaitDecision(Run waiting, Signal leaving, AtomicBoolean gone) {
        while (!gone.get()) {
            pause(WAITING_POLL, leaving, gone::get);
            Run current = runs.find(waiting.threadId(), waiting.id()).orElse(waiting);
            if (current.status() != RunStatus.REQUIRES_ACTION || current.revision() != waiting.revision()) {
                return;
            }
        }
    }

    /** The highest id a client may have been sent of a run the log holds {@code logged} of. */
    private static long knownToTheLog(LoggedEvents logged) {
        return logged.endLogged() ? logged.lastSequence() : logged.reservation().reservedThrough();
    }

    /**
     * Logs the end the store recorded for {@code ended}, whose instance never logged it, with an id past
     * every one that instance may have sent. Of followers doing so together, the first write wins.
     */
    private void logStoredEnd(Run ended) {
        try {
            LoggedEvents logged = log.logged(ended.threadId(), ended.id());
            if (logged.endLogged()) {
                return;
            }
            RunEvent end = new RunEvent(logged.reservation().firstUnused(), ended.endEvent().orElseThrow());
            log.append(ended.threadId(), ended.id(), List.of(end), clock.now().plus(settings.eventRetention()));
        } catch (RecordConflict e) {
            // another follower logged it first: it is read back like any other event
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not log the stored end of run " + ended.id(), e);
        }
    }

    /**
     * How long past a run's stored end its last event may take to reach the log: a flush interval,
     * and the last write's tries with their pauses (well under ten seconds even when throttled).
     */
    private Duration lastEventGrace() {
        return settings.eventFlushInterval().multipliedBy(2).plusSeconds(15);
    }

    /** Waits an interval of the clock, or less if the client leaves ({@code gone}, told through {@code leaving}). */
    private void pause(Duration interval, Signal leaving, BooleanSupplier gone) {
        pauseUntil(clock.nanoTime() + interval.toNanos(), leaving, gone);
    }

    /** Waits until the clock reads {@code deadline} (a nanoTime reading), or less if the client leaves. */
    private void pauseUntil(long deadline, Signal leaving, BooleanSupplier gone) {
        try {
            leaving.awaitUntil(gone, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientDisconnected("interrupted while following a run", e);
        }
    }
}
