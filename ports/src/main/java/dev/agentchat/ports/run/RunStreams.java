package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.chat.ClientDisconnected;
import dev.agentchat.ports.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where clients follow runs: straight from the run if this instance executes it, otherwise through
 * the {@link EventLog}, which the executing instance writes to every flush interval.
 */
public final class RunStreams {
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
        if (run.status().isTerminal() && live.find(run.id()).isEmpty()
                && run.endedAt().plus(settings.eventRetention()).isBefore(clock.now())) {
            throw new EventsExpired(run.id());
        }
    }

    /**
     * Passes the run's events after {@code after} to {@code sink} until the last one, or until the
     * client leaves; true when the client got the last event.
     */
    public boolean follow(Run run, ChatEventSink sink, long after) {
        sink.open(run.id(), run.threadId());
        Optional<LiveRun> here = live.find(run.id());
        if (here.isPresent()) {
            return here.get().follow(sink, after);
        }
        return followLog(run, sink, Math.max(after, 0));
    }

    /** Waits until the run has ended (here or elsewhere), at most as long as a run may take; the run as stored then. */
    public Run awaitEnd(Run run) {
        live.find(run.id()).ifPresent(running -> running.awaitRetired(settings.abandonedAfter()));
        long giveUp = System.nanoTime() + settings.abandonedAfter().toNanos();
        Run current = run;
        while (!current.status().isTerminal() && System.nanoTime() < giveUp) {
            pause(settings.eventFlushInterval(), new CountDownLatch(1));
            current = runs.find(run.threadId(), run.id()).orElse(current);
        }
        return current;
    }

    /**
     * Follows a run another instance executes (or executed), by polling the log. Its last event
     * reaches the log up to a flush after the run is stored as ended; if the log still lacks it well
     * after that (its instance could not write it), the client gets the end the store recorded.
     */
    private boolean followLog(Run run, ChatEventSink sink, long after) {
        CountDownLatch gone = new CountDownLatch(1);
        try {
            if (after > 0 && sawTheEnd(run, after)) {
                return true;
            }
            sink.onDisconnect(gone::countDown);
            long sent = after;
            long endSeenAt = 0;
            while (gone.getCount() > 0) {
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
                Run current = runs.find(run.threadId(), run.id()).orElse(run);
                if (current.status().isTerminal()) {
                    long now = System.nanoTime();
                    endSeenAt = endSeenAt == 0 ? now : endSeenAt;
                    if (now - endSeenAt > lastEventGrace().toNanos()) {
                        sink.emit(new RunEvent(sent + 1, current.endEvent().orElseThrow()));
                        return true;
                    }
                } else if (current.status() == RunStatus.IN_PROGRESS || current.status() == RunStatus.CANCELLING) {
                    endSeenAt = 0;
                }
                pause(settings.eventFlushInterval(), gone);
            }
            return false;
        } catch (ClientDisconnected e) {
            return false;
        }
    }

    /** Whether event {@code seen} was the run's last: a client that saw it is owed nothing more. */
    private boolean sawTheEnd(Run run, long seen) {
        List<RunEvent> last = log.readAfter(run.threadId(), run.id(), seen - 1, 1, clock.now());
        return !last.isEmpty() && last.getFirst().sequence() == seen && last.getFirst().isLast();
    }

    /**
     * How long past a run's stored end its last event may take to reach the log: a flush interval,
     * and the last write's tries with their pauses (well under ten seconds even when throttled).
     */
    private Duration lastEventGrace() {
        return settings.eventFlushInterval().multipliedBy(2).plusSeconds(15);
    }

    private static void pause(Duration interval, CountDownLatch gone) {
        try {
            gone.await(interval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientDisconnected("interrupted while following a run", e);
        }
    }
}
