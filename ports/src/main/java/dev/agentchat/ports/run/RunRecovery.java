package dev.agentchat.ports.run;

import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.chat.Abandonment;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.PausedRunEnd;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.message.MessageStatus;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.thread.ThreadRelease;
import dev.agentchat.ports.time.Clock;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Ends runs whose instance stopped (crashed, or was killed) before it could end them, so that no
 * thread stays busy for ever. A live instance ends every run within the longest run duration, so a
 * run still unfinished a grace period after that has no instance left. It ends failed (or cancelled,
 * if it was being cancelled), with the answer its logged tokens had reached kept as an incomplete
 * message; the steps it left unfinished end with it; its followers get a {@code trace_end} for each
 * of those and an {@code error}, numbered past every event id its instance may have sent; and its
 * thread is freed.
 */
public final class RunRecovery {
    private static final System.Logger LOG = System.getLogger(RunRecovery.class.getName());
    /** Runs ended per sweep: the next sweep takes the rest. */
    private static final int SWEEP_LIMIT = 100;
    private static final int LOG_PAGE = 1_000;

    private final RunRecords records;
    private final EventLog log;
    private final LiveRuns live;
    private final Clock clock;
    private final IdSource ids;
    private final RunSettings settings;

    public RunRecovery(RunRecords records, EventLog log, LiveRuns live, Clock clock, IdSource ids, RunSettings settings) {
        this.records = Objects.requireNonNull(records, "records");
        this.log = Objects.requireNonNull(log, "log");
        this.live = Objects.requireNonNull(live, "live");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Ends the abandoned runs found in the store now, freeing their threads; how many it ended. */
    public int recoverAbandoned() {
        Instant now = clock.now();
        int ended = 0;
        for (Run run : records.runs().listUnfinished(now.minus(settings.abandonedAfter()), SWEEP_LIMIT)) {
            Optional<Run> recovered = abandon(run);
            if (recovered.isPresent()) {
                new ThreadRelease(records.threads(), clock).free(recovered.get());
                ended++;
            }
        }
        return ended;
    }

    /**
     * Ends {@code run} if it is abandoned, leaving its thread to the caller, which is about to claim it
     * for the next run; the ended run, or empty when it is not abandoned (or another instance ended it first).
     */
    public Optional<Run> abandonIfAbandoned(Run run) {
        return abandon(run);
    }

    private Optional<Run> abandon(Run run) {
        Instant now = clock.now();
        if (!run.isAbandoned(now, settings.abandonedAfter()) || live.find(run.id()).isPresent()) {
            return Optional.empty();
        }
        List<RunEvent> logged;
        LoggedEvents bounds;
        List<Step> steps;
        try {
            bounds = log.logged(run.threadId(), run.id());
            logged = readLog(run);
            steps = records.steps().listByRun(run.threadId(), run.id());
        } catch (RuntimeException e) {
            // Numbering the end without knowing every id the instance reserved could reuse one: the next sweep tries again.
            LOG.log(Level.WARNING, "Could not read what abandoned run " + run.id() + " left; it is left for the next sweep", e);
            return Optional.empty();
        }
        String partial = tokensOf(logged);
        // The run is ended first: of instances sweeping together, only the one whose write wins goes on.
        MessageId partialId = run.answerMessageId() != null || partial.isEmpty() ? run.answerMessageId()
                : ids.newMessageId();
        Abandonment end = Abandonment.of(run, steps, partialId, bounds.reservation(), now);
        try {
            records.runs().update(end.run());
        } catch (RecordConflict e) {
            return Optional.empty();
        }
        LOG.log(Level.WARNING, "Ended run {0}, abandoned by the instance that ran it", run.id());
        if (partialId != null && run.answerMessageId() == null) {
            keepPartial(run, partialId, partial, now);
        }
        end.endedSteps().forEach(this::endStep);
        if (!bounds.endLogged()) {
            tellFollowers(end);
        }
        return Optional.of(end.run());
    }

    /**
     * Ends {@code waiting}, a run that waits for approval, cancelled: its waiting calls end with it,
     * what it answered so far is kept, its followers are told, and its thread is freed. Empty when the
     * run changed first (a decision resumed it, or another cancel ended it).
     */
    public Optional<Run> cancelWaiting(Run waiting) {
        return endWaiting(waiting, (steps, partial, lastEventId, now) ->
                PausedRunEnd.cancelled(waiting, steps, partial, lastEventId, now));
    }

    /**
     * Ends {@code waiting} incomplete for {@code timeout}: it was decided with no working time left.
     * As {@link #cancelWaiting} otherwise.
     */
    public Optional<Run> endWaitingOutOfTime(Run waiting, RunFailure timeout) {
        return endWaitingOutOfTime(waiting, timeout, Map.of());
    }

    /**
     * As {@link #endWaitingOutOfTime(Run, RunFailure)}, recording {@code decided} (the decisions taken,
     * or the expiry of the calls) on the run and its calls, so that the same decisions sent again get
     * the ended run rather than a conflict.
     */
    public Optional<Run> endWaitingOutOfTime(Run waiting, RunFailure timeout, Map<StepId, ApprovalDecision> decided) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(decided, "decided");
        return endWaiting(waiting, (steps, partial, lastEventId, now) ->
                PausedRunEnd.outOfTime(waiting, timeout, decided, steps, partial, lastEventId, now));
    }

    /**
     * Ends {@code waiting} incomplete ({@code agent_not_found}): its agent is gone, so nothing can go on
     * with it, and left waiting it would hold its thread for ever. {@code decided} is recorded as
     * {@link #endWaitingOutOfTime(Run, RunFailure, Map)} records it. As {@link #cancelWaiting} otherwise.
     */
    public Optional<Run> endWaitingAgentGone(Run waiting, Map<StepId, ApprovalDecision> decided) {
        Objects.requireNonNull(decided, "decided");
        return endWaiting(waiting, (steps, partial, lastEventId, now) ->
                PausedRunEnd.agentGone(waiting, decided, steps, partial, lastEventId, now));
    }

    /**
     * How a waiting run ends, given its steps, the message keeping its answer so far (or null), the id
     * its end's events are numbered after, and the time.
     */
    @FunctionalInterface
    private interface WaitingEnd {
        PausedRunEnd of(List<Step> steps, MessageId partialAnswer, long lastEventId, Instant now);
    }

    /**
     * Ends a run that waits for approval, which no instance works on, so this does all its instance
     * would: the run is written first, under its revision, so that of a decision and an end racing
     * only one goes on; then the answer so far, the waiting calls, the events and the thread.
     */
    private Optional<Run> endWaiting(Run waiting, WaitingEnd ending) {
        Instant now = clock.now();
        List<Step> steps = records.steps().listByRun(waiting.threadId(), waiting.id());
        long lastEventId = lastEventIdOf(waiting);
        String partial = cut(waiting.approvals().answerSoFar());
        MessageId partialId = waiting.answerMessageId() != null || partial.isEmpty() ? waiting.answerMessageId()
                : ids.newMessageId();
        PausedRunEnd end = ending.of(steps, partialId, lastEventId, now);
        try {
            records.runs().update(end.run());
        } catch (RecordConflict e) {
            return Optional.empty();
        }
        if (partialId != null && waiting.answerMessageId() == null) {
            keepPartial(waiting, partialId, partial, now);
        }
        end.endedSteps().forEach(this::endStep);
        logEnd(end.run(), end.events());
        new ThreadRelease(records.threads(), clock).free(end.run());
        return Optional.of(end.run());
    }

    /**
     * The id of the last event the run may have sent: the pausing instance numbered nothing past its
     * pause, though its last batch may not have reached the log (or may hold more, should it ever).
     */
    private long lastEventIdOf(Run waiting) {
        long pausedAt = waiting.approvals().pausedAtEvent();
        try {
            return Math.max(pausedAt, log.logged(waiting.threadId(), waiting.id()).lastSequence());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not read the event log of run " + waiting.id() + "; numbering past its pause", e);
            return pausedAt;
        }
    }

    private void logEnd(Run ended, List<RunEvent> events) {
        try {
            log.append(ended.threadId(), ended.id(), events, clock.now().plus(settings.eventRetention()));
        } catch (RuntimeException e) {
            // Its followers still get the stored end: the first to miss it logs it (RunStreams).
            LOG.log(Level.WARNING, "Could not log the end of run " + ended.id() + ", which waited for approval", e);
        }
    }

    private List<RunEvent> readLog(Run run) {
        List<RunEvent> all = new ArrayList<>();
        for (List<RunEvent> page = log.readAfter(run.threadId(), run.id(), 0, LOG_PAGE, clock.now()); !page.isEmpty();
             page = log.readAfter(run.threadId(), run.id(), page.getLast().sequence(), LOG_PAGE, clock.now())) {
            all.addAll(page);
        }
        return all;
    }

    private static String tokensOf(List<RunEvent> logged) {
        StringBuilder text = new StringBuilder();
        for (RunEvent event : logged) {
            if (event.event() instanceof ChatEvent.Token token) {
                text.append(token.content());
            }
        }
        return cut(text.toString());
    }

    /** As much of {@code answer} as a message holds. */
    private static String cut(String answer) {
        return answer.length() > Message.MAX_CONTENT_LENGTH ? answer.substring(0, Message.MAX_CONTENT_LENGTH) : answer;
    }

    private void keepPartial(Run run, MessageId id, String partial, Instant now) {
        try {
            records.messages().append(Message.answer(id, run.threadId(), run.id(), partial, MessageStatus.INCOMPLETE, now));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not keep the partial answer of run " + run.id(), e);
        }
    }

    private void endStep(Step ended) {
        try {
            records.steps().update(ended);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not end step " + ended.id() + " of run " + ended.runId(), e);
        }
    }

    private void tellFollowers(Abandonment end) {
        Run ended = end.run();
        try {
            log.append(ended.threadId(), ended.id(), end.events(), clock.now().plus(settings.eventRetention()));
        } catch (RuntimeException e) {
            // Its followers still get the stored end: the first to miss it logs it (RunStreams).
            LOG.log(Level.WARNING, "Could not log the end of abandoned run " + ended.id(), e);
        }
    }

}
