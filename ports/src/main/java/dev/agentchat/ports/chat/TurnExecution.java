package dev.agentchat.ports.chat;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.ChatTurn;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.NextAction;
import dev.agentchat.domain.chat.TurnStep;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.message.MessageStatus;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.store.StoreFailure;
import dev.agentchat.ports.time.Clock;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One chat turn in progress: the imperative shell around the domain's {@link ChatTurn}. It reads the
 * model's stream, feeds each item to the turn, passes the events on, and carries out the turn's
 * decision through the stores. It ends the run exactly once, whatever fails: a fault in any step
 * becomes the turn's failure, and recording the end swallows (and logs) its own faults. Used by
 * one thread; only the disconnect callback comes from another.
 */
final class TurnExecution {
    private static final System.Logger LOG = System.getLogger(TurnExecution.class.getName());

    private final ChatEventSink sink;
    private final ChatModel model;
    private final MessageStore messages;
    private final RunStore runs;
    private final Clock clock;
    private final IdSource ids;

    /** The open model stream, or CLOSED once the client has gone; shared with the disconnect callback. */
    private final AtomicReference<ModelStream> stream = new AtomicReference<>();
    private static final ModelStream CLOSED = new ModelStream() {
        @Override
        public Optional<ModelStreamItem> next() {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    };

    private Run run;
    private ChatTurn turn = ChatTurn.begin();
    private MessageId storedAnswer;

    TurnExecution(Run run, ChatEventSink sink, ChatModel model, MessageStore messages, RunStore runs, Clock clock,
                  IdSource ids) {
        this.run = run;
        this.sink = sink;
        this.model = model;
        this.messages = messages;
        this.runs = runs;
        this.clock = clock;
        this.ids = ids;
    }

    ChatOutcome execute(ModelRequest request) {
        return carryOut(converse(request));
    }

    /** Streams the model through the turn and returns the turn's decision; every fault becomes one. */
    private NextAction converse(ModelRequest request) {
        try {
            sink.open(run.id(), run.threadId());
            sink.onDisconnect(this::clientGone);
            try (ModelStream answer = model.stream(request)) {
                if (!stream.compareAndSet(null, answer)) {
                    return turn.cancel(RunFailure.CLIENT_DISCONNECTED).action();
                }
                return readToDecision(answer);
            }
        } catch (ClientDisconnected e) {
            return turn.cancel(RunFailure.CLIENT_DISCONNECTED).action();
        } catch (ModelFailure e) {
            return clientIsGone() ? turn.cancel(RunFailure.CLIENT_DISCONNECTED).action()
                    : turn.fail(RunFailure.fromModel(e.code(), e.getMessage())).action();
        } catch (StoreFailure | RecordConflict e) {
            LOG.log(Level.WARNING, "Run " + run.id() + " could not be stored", e);
            return turn.fail(RunFailure.STORE_ERROR).action();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Run " + run.id() + " failed unexpectedly", e);
            return turn.fail(RunFailure.INTERNAL_ERROR).action();
        }
    }

    private NextAction readToDecision(ModelStream answer) {
        for (Optional<ModelStreamItem> item = answer.next(); item.isPresent(); item = answer.next()) {
            TurnStep step = turn.accept(item.get(), clock.now());
            turn = step.turn();
            emitAll(step.events());
            if (!(step.action() instanceof NextAction.KeepStreaming)) {
                return step.action();
            }
        }
        if (clientIsGone()) {
            return turn.cancel(RunFailure.CLIENT_DISCONNECTED).action();
        }
        TurnStep end = turn.endOfStream(clock.now());
        turn = end.turn();
        emitAll(end.events());
        return end.action();
    }

    private ChatOutcome carryOut(NextAction action) {
        return switch (action) {
            case NextAction.Complete complete -> complete(complete.answer(), complete.usage());
            case NextAction.EndIncomplete cut -> end(RunStatus.INCOMPLETE, cut.answer(), cut.reason(), cut.usage());
            case NextAction.Fail fail -> end(RunStatus.FAILED, fail.partialAnswer(), fail.failure(), fail.usage());
            case NextAction.Cancel cancel -> end(RunStatus.CANCELLED, cancel.partialAnswer(), cancel.reason(), cancel.usage());
            // Tools arrive with their own issue; until then a model that asks for one ends the run clearly.
            case NextAction.CallTools call -> end(RunStatus.FAILED, call.answerSoFar(), new RunFailure("tools_unavailable",
                    "The model asked for the tool '" + call.calls().getFirst().toolName()
                            + "', but this agent has no tools."), call.usage());
            case NextAction.KeepStreaming keep -> end(RunStatus.FAILED, turn.answerSoFar(), RunFailure.INTERNAL_ERROR, turn.usage());
        };
    }

    private ChatOutcome complete(String answer, Usage usage) {
        Transition<Run> done;
        try {
            MessageId answerId = storeAnswer(answer, MessageStatus.COMPLETE);
            done = run.complete(answerId, usage, clock.now());
            runs.update(done.state());
        } catch (StoreFailure | RecordConflict e) {
            LOG.log(Level.WARNING, "The answer of run " + run.id() + " could not be stored", e);
            return end(RunStatus.FAILED, answer, RunFailure.STORE_ERROR, usage);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Run " + run.id() + " failed unexpectedly while completing", e);
            return end(RunStatus.FAILED, answer, RunFailure.INTERNAL_ERROR, usage);
        }
        run = done.state();
        emitUnlessGone(done.events());
        return new ChatOutcome.Answered(run.id(), run.threadId(), run.answerMessageId(), answer, usage);
    }

    /**
     * Ends the run without a complete answer: keeps what was answered, records why, and tells the
     * client if it is still there. It throws nothing: the end must be reported even when a store fails.
     */
    private ChatOutcome end(RunStatus status, String partial, RunFailure why, Usage usage) {
        if (run.status().isTerminal()) {
            return new ChatOutcome.Ended(run, partial);
        }
        MessageId partialId = storedAnswer;
        if (partialId == null && !partial.isEmpty()) {
            try {
                partialId = storeAnswer(partial, MessageStatus.INCOMPLETE);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not keep the partial answer of run " + run.id(), e);
            }
        }
        Transition<Run> end = switch (status) {
            case FAILED -> run.fail(why, partialId, usage, clock.now());
            case CANCELLED -> run.cancel(why, partialId, usage, clock.now());
            case INCOMPLETE -> run.endIncomplete(why, partialId, usage, clock.now());
            case QUEUED, IN_PROGRESS, COMPLETED -> throw new IllegalArgumentException("not an early end: " + status);
        };
        try {
            runs.update(end.state());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Could not record the end of run " + run.id() + " (" + why.code() + ")", e);
        }
        run = end.state();
        emitUnlessGone(end.events());
        return new ChatOutcome.Ended(run, partial);
    }

    private MessageId storeAnswer(String content, MessageStatus status) {
        Message answer = Message.answer(ids.newMessageId(), run.threadId(), run.id(), content, status, clock.now());
        messages.append(answer);
        storedAnswer = answer.id();
        return answer.id();
    }

    private void emitAll(List<ChatEvent> events) {
        for (ChatEvent event : events) {
            sink.emit(event);
        }
    }

    /** Sends the run's last events; the run is already recorded, so nothing here may throw. */
    private void emitUnlessGone(List<ChatEvent> events) {
        if (clientIsGone()) {
            return;
        }
        try {
            emitAll(events);
        } catch (ClientDisconnected e) {
            LOG.log(Level.DEBUG, "Client of run {0} left before its last event", run.id());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Could not send the last events of run " + run.id(), e);
        }
    }

    private void clientGone() {
        ModelStream open = stream.getAndSet(CLOSED);
        if (open != null && open != CLOSED) {
            open.close();
        }
    }

    private boolean clientIsGone() {
        return stream.get() == CLOSED;
    }
}
