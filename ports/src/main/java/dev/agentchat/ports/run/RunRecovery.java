package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.message.MessageStatus;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.time.Clock;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Ends runs whose instance stopped (crashed, or was killed) before it could end them, so that no
 * thread stays busy for ever. A live instance ends every run within the longest run duration, so a
 * run still unfinished a grace period after that has no instance left; it ends failed (or
 * cancelled, if it was being cancelled), with the answer its logged tokens had reached kept as an
 * incomplete message, and an {@code error} event for anyone following it.
 */
public final class RunRecovery {
    private static final System.Logger LOG = System.getLogger(RunRecovery.class.getName());
    /** Runs ended per sweep: the next sweep takes the rest. */
    private static final int SWEEP_LIMIT = 100;
    private static final int LOG_PAGE = 1_000;

    private final RunStore runs;
    private final MessageStore messages;
    private final EventLog log;
    private final LiveRuns live;
    private final Clock clock;
    private final IdSource ids;
    private final RunSettings settings;

    public RunRecovery(RunStore runs, MessageStore messages, EventLog log, LiveRuns live, Clock clock, IdSource ids,
                       RunSettings settings) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.messages = Objects.requireNonNull(messages, "messages");
        this.log = Objects.requireNonNull(log, "log");
        this.live = Objects.requireNonNull(live, "live");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Ends the abandoned runs found in the store now; how many it ended. */
    public int recoverAbandoned() {
        Instant now = clock.now();
        int ended = 0;
        for (Run run : runs.listUnfinished(now.minus(settings.abandonedAfter()), SWEEP_LIMIT)) {
            if (abandonIfAbandoned(run).isPresent()) {
                ended++;
            }
        }
        return ended;
    }

    /**
     * Ends {@code run} if it is abandoned; the ended run, or empty when it is not abandoned (or
     * another instance ended it first).
     */
    public Optional<Run> abandonIfAbandoned(Run run) {
        Instant now = clock.now();
        if (!run.isAbandoned(now, settings.abandonedAfter()) || live.find(run.id()).isPresent()) {
            return Optional.empty();
        }
        List<RunEvent> logged;
        try {
            logged = readLog(run);
        } catch (RuntimeException e) {
            // Numbering the end after a log read in part could reuse a kept sequence: the next sweep tries again.
            LOG.log(Level.WARNING, "Could not read the events of abandoned run " + run.id() + "; it is left for the next sweep", e);
            return Optional.empty();
        }
        String partial = tokensOf(logged);
        // The run is ended first: of instances sweeping together, only the one whose write wins keeps an answer.
        MessageId partialId = run.answerMessageId() != null || partial.isEmpty() ? run.answerMessageId()
                : ids.newMessageId();
        Transition<Run> end = run.abandon(partialId, now);
        try {
            runs.update(end.state());
        } catch (RecordConflict e) {
            return Optional.empty();
        }
        LOG.log(Level.WARNING, "Ended run {0}, abandoned by the instance that ran it", run.id());
        if (partialId != null && run.answerMessageId() == null) {
            keepPartial(run, partialId, partial, now);
        }
        boolean endLogged = !logged.isEmpty() && logged.getLast().isLast();
        if (!endLogged) {
            tellFollowers(run.id(), end.state(), logged.isEmpty() ? 0 : logged.getLast().sequence(), end.events());
        }
        return Optional.of(end.state());
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
        return text.length() > Message.MAX_CONTENT_LENGTH ? text.substring(0, Message.MAX_CONTENT_LENGTH) : text.toString();
    }

    private void keepPartial(Run run, MessageId id, String partial, Instant now) {
        try {
            messages.append(Message.answer(id, run.threadId(), run.id(), partial, MessageStatus.INCOMPLETE, now));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not keep the partial answer of abandoned run " + run.id(), e);
        }
    }

    private void tellFollowers(RunId runId, Run ended, long lastSequence, List<ChatEvent> events) {
        List<RunEvent> numbered = new ArrayList<>();
        for (ChatEvent event : events) {
            numbered.add(new RunEvent(lastSequence + numbered.size() + 1, event));
        }
        try {
            log.append(ended.threadId(), runId, numbered, clock.now().plus(settings.eventRetention()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not log the end of abandoned run " + runId, e);
        }
    }
}
