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
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.store.StoreFailure;
import dev.agentchat.ports.time.Clock;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One chat turn in progress: the imperative shell around the domain's {@link ChatTurn}. It reads the
 * model's stream, feeds each item to the turn, passes the events on, and carries out the turn's
 * final action through the stores. Used by one thread; only the disconnect callback comes from another.
 */
final class TurnExecution {
    private static final System.Logger LOG = System.getLogger(TurnExecution.class.getName());
    static final RunFailure CLIENT_DISCONNECTED = new RunFailure("client_disconnected",
            "The client disconnected before the answer was finished.");

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
        try {
            sink.open(run.id(), run.threadId());
            sink.onDisconnect(this::clientGone);
            try (ModelStream answer = model.stream(request)) {
                if (!stream.compareAndSet(null, answer)) {
                    return endEarly(CLIENT_DISCONNECTED, Ending.CANCELLED);
                }
                return finish(readToEnd(answer));
            }
        } catch (ClientDisconnected e) {
            return endEarly(CLIENT_DISCONNECTED, Ending.CANCELLED);
        } catch (ModelFailure e) {
            return clientIsGone() ? endEarly(CLIENT_DISCONNECTED, Ending.CANCELLED)
                    : endEarly(new RunFailure(e.code(), e.getMessage()), Ending.FAILED);
        } catch (StoreFailure e) {
            return endEarly(storeFailure(e), Ending.FAILED);
        } catch (RuntimeException e) {
            // A bug must not leave the run in progress forever: end it and say so.
            LOG.log(Level.ERROR, "Run " + run.id() + " failed unexpectedly", e);
            return endEarly(new RunFailure("internal_error", "The service failed while answering."), Ending.FAILED);
        }
    }

    static RunFailure storeFailure(StoreFailure e) {
        return new RunFailure("store_error", "The conversation could not be stored: " + e.getMessage());
    }

    private NextAction readToEnd(ModelStream answer) {
        for (Optional<ModelStreamItem> item = answer.next(); item.isPresent(); item = answer.next()) {
            TurnStep step = turn.accept(item.get(), clock.now());
            turn = step.turn();
            emitAll(step.events());
        }
        if (clientIsGone()) {
            throw new ClientDisconnected("the client went away while the model was answering", null);
        }
        TurnStep end = turn.endOfStream(clock.now());
        turn = end.turn();
        return end.action();
    }

    private ChatOutcome finish(NextAction action) {
        return switch (action) {
            case NextAction.Complete complete -> complete(complete.answer(), complete.usage());
            case NextAction.EndIncomplete cut -> endEarly(cut.reason(), Ending.INCOMPLETE);
            case NextAction.Fail fail -> endEarly(fail.failure(), Ending.FAILED);
            // Tools arrive with their own issue; until then a model that asks for one ends the run clearly.
            case NextAction.CallTools call -> endEarly(new RunFailure("tools_unavailable",
                    "The model asked for the tool '" + call.calls().getFirst().toolName()
                            + "', but this agent has no tools."), Ending.FAILED);
            case NextAction.KeepStreaming keep -> throw new IllegalStateException("the chat turn ended without a decision");
        };
    }

    private ChatOutcome complete(String answer, Usage usage) {
        MessageId answerId = storeAnswer(answer, MessageStatus.COMPLETE);
        Transition<Run> done = run.complete(answerId, usage, clock.now());
        runs.update(done.state());
        run = done.state();
        emitUnlessGone(done.events());
        return new ChatOutcome.Answered(run.id(), run.threadId(), answerId, answer, usage);
    }

    private enum Ending { FAILED, CANCELLED, INCOMPLETE }

    /**
     * Ends the run without a complete answer: keeps whatever was answered, records why, and tells the
     * client if it is still there. Store faults here are logged rather than thrown: the run's end
     * must still be reported.
     */
    private ChatOutcome endEarly(RunFailure why, Ending ending) {
        String partial = turn.answerSoFar();
        MessageId partialId = storedAnswer;
        if (partialId == null && !partial.isEmpty()) {
            try {
                partialId = storeAnswer(partial, MessageStatus.INCOMPLETE);
            } catch (StoreFailure e) {
                LOG.log(Level.WARNING, "Could not keep the partial answer of run " + run.id(), e);
            }
        }
        Usage usage = turn.usage();
        Transition<Run> end = switch (ending) {
            case FAILED -> run.fail(why, partialId, usage, clock.now());
            case CANCELLED -> run.cancel(why, partialId, usage, clock.now());
            case INCOMPLETE -> run.endIncomplete(why, partialId, usage, clock.now());
        };
        try {
            runs.update(end.state());
        } catch (StoreFailure e) {
            LOG.log(Level.ERROR, "Could not record the end of run " + run.id() + " (" + why.code() + ")", e);
        }
        run = end.state();
        emitUnlessGone(end.events());
        return new ChatOutcome.Ended(run, why, partial);
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

    private void emitUnlessGone(List<ChatEvent> events) {
        if (clientIsGone()) {
            return;
        }
        try {
            emitAll(events);
        } catch (ClientDisconnected e) {
            LOG.log(Level.DEBUG, "Client of run {0} left before its last event", run.id());
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
