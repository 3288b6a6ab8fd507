package dev.agentchat.adapter.memory.store;

import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.LoggedEvents;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run events in memory, per run. Runs whose every event is past its time are dropped now and then
 * (at most once a minute, on an append), so a long-lived service does not keep them for ever.
 */
public final class InMemoryEventLog implements EventLog {
    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final ConcurrentMap<RunId, RunLog> runs = new ConcurrentHashMap<>();
    private final Clock clock;
    private final AtomicLong nextSweep = new AtomicLong();

    public InMemoryEventLog() {
        this(Clock.system());
    }

    public InMemoryEventLog(Clock clock) {
        this.clock = clock;
    }

    /** One run's batches, in order; guarded by itself. */
    private record RunLog(ThreadId threadId, List<Batch> batches) {
    }

    private record Batch(List<RunEvent> events, long reservedThrough, Instant keepUntil) {
        long last() {
            return events.getLast().sequence();
        }
    }

    @Override
    public void append(ThreadId threadId, RunId runId, List<RunEvent> events, long reservedThrough, Instant keepUntil) {
        if (events.isEmpty()) {
            return;
        }
        RunLog log = runs.computeIfAbsent(runId, id -> new RunLog(threadId, new ArrayList<>()));
        synchronized (log) {
            long last = log.batches.isEmpty() ? 0 : log.batches.getLast().last();
            if (events.getFirst().sequence() <= last) {
                throw new RecordConflict("events of run " + runId + " up to " + last + " are kept already");
            }
            if (events.getLast().isLast() && log.batches.stream().anyMatch(batch -> batch.events.getLast().isLast())) {
                throw new RecordConflict("the end of run " + runId + " is kept already");
            }
            log.batches.add(new Batch(List.copyOf(events), Math.max(reservedThrough, events.getLast().sequence()),
                    keepUntil));
        }
        sweepNowAndThen();
    }

    @Override
    public List<RunEvent> readAfter(ThreadId threadId, RunId runId, long after, int limit, Instant now) {
        RunLog log = runs.get(runId);
        if (log == null || !log.threadId.equals(threadId)) {
            return List.of();
        }
        List<RunEvent> read = new ArrayList<>();
        synchronized (log) {
            for (Batch batch : log.batches) {
                if (batch.last() <= after || !batch.keepUntil.isAfter(now)) {
                    continue;
                }
                for (RunEvent event : batch.events) {
                    if (event.sequence() > after && read.size() < limit) {
                        read.add(event);
                    }
                }
            }
        }
        return read;
    }

    @Override
    public LoggedEvents logged(ThreadId threadId, RunId runId) {
        RunLog log = runs.get(runId);
        if (log == null || !log.threadId.equals(threadId)) {
            return LoggedEvents.NONE;
        }
        synchronized (log) {
            if (log.batches.isEmpty()) {
                return LoggedEvents.NONE;
            }
            RunEvent last = log.batches.getLast().events.getLast();
            long reserved = log.batches.stream().mapToLong(Batch::reservedThrough).max().orElse(0);
            return new LoggedEvents(last.sequence(), last.isLast(), reserved);
        }
    }

    @Override
    public int deleteByThread(ThreadId threadId) {
        int removed = 0;
        for (var entry : runs.entrySet()) {
            if (entry.getValue().threadId.equals(threadId) && runs.remove(entry.getKey(), entry.getValue())) {
                synchronized (entry.getValue()) {
                    removed += entry.getValue().batches.size();
                }
            }
        }
        return removed;
    }

    private void sweepNowAndThen() {
        long nowMillis = clock.now().toEpochMilli();
        long due = nextSweep.get();
        if (nowMillis < due || !nextSweep.compareAndSet(due, nowMillis + SWEEP_EVERY_MILLIS)) {
            return;
        }
        Instant now = clock.now();
        runs.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                return entry.getValue().batches.stream().noneMatch(batch -> batch.keepUntil.isAfter(now));
            }
        });
    }
}
