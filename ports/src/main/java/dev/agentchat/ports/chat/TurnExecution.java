package dev.agentchat.ports.chat;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.ChatTurn;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.NextAction;
import dev.agentchat.domain.chat.ToolLoop;
import dev.agentchat.domain.chat.TurnStep;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.message.MessageStatus;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.store.StoreFailure;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One chat turn in progress: the imperative shell around the domain's {@link ToolLoop} and
 * {@link ChatTurn}s. It calls the model, feeds each stream item to the turn, passes the events on,
 * runs the tools the model asks for, and carries out the final decision through the stores. It ends
 * the run exactly once, whatever fails: a fault in any step becomes the turn's failure, and recording
 * the end swallows (and logs) its own faults. Used by one thread; only the disconnect callback and
 * tool progress come from others.
 */
final class TurnExecution {
    private static final System.Logger LOG = System.getLogger(TurnExecution.class.getName());

    private final TurnContext context;
    private final Agent agent;
    private final ChatEventSink sink;
    private final List<ToolDefinition> offeredTools;

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

    /** The round of tools running now, if any: a client that leaves stops it. */
    private final AtomicReference<ToolRound> tools = new AtomicReference<>();

    private Run run;
    private ToolLoop loop;
    private ChatTurn turn;
    private MessageId storedAnswer;

    TurnExecution(TurnContext context, Agent agent, Run run, ChatEventSink sink) {
        this.context = context;
        this.agent = agent;
        this.run = run;
        this.sink = sink;
        this.loop = ToolLoop.start(context.settings().maxModelCalls());
        this.turn = newTurn();
        this.offeredTools = context.tools().definitions().stream().filter(tool -> agent.mayUse(tool.name())).toList();
    }

    ChatOutcome execute(List<ModelMessage> conversation) {
        try {
            sink.open(run.id(), run.threadId());
            sink.onDisconnect(this::clientGone);
        } catch (RuntimeException e) {
            return carryOut(turn.cancel(RunFailure.CLIENT_DISCONNECTED).action());
        }
        List<ModelMessage> messages = new ArrayList<>(conversation);
        while (true) {
            int round = loop.nextRound();
            Instant started = context.clock().now();
            turn = newTurn();
            NextAction called = converse(new ModelRequest(agent.id(), agent.instructions(), messages, offeredTools,
                    agent.model()));
            recordModelCall(round, called, started);
            ToolLoop.LoopStep next = loop.afterModelCall(called);
            loop = next.loop();
            switch (next.action()) {
                case ToolLoop.LoopAction.End end -> {
                    return carryOut(end.outcome());
                }
                case ToolLoop.LoopAction.RunTools tools -> {
                    Optional<NextAction> stopped = runTools(tools, messages);
                    if (stopped.isPresent()) {
                        return carryOut(stopped.get());
                    }
                }
            }
        }
    }

    private ChatTurn newTurn() {
        return ChatTurn.begin(context.settings().prices().priceOf(modelName()).orElse(null));
    }

    /** The model the agent's calls go to: its own deployment if it names one, else the adapter's. */
    private String modelName() {
        return agent.model().deployment() != null ? agent.model().deployment() : context.model().modelName();
    }

    /** One model call, streamed through a fresh chat turn; every fault becomes the call's decision. */
    private NextAction converse(ModelRequest request) {
        try (ModelStream answer = context.model().stream(request)) {
            if (stream.getAndUpdate(open -> open == CLOSED ? CLOSED : answer) == CLOSED) {
                return turn.cancel(RunFailure.CLIENT_DISCONNECTED).action();
            }
            NextAction decision = readToDecision(answer);
            stream.compareAndSet(answer, null);
            return decision;
        } catch (ClientDisconnected e) {
            return turn.cancel(RunFailure.CLIENT_DISCONNECTED).action();
        } catch (ModelFailure e) {
            if (clientIsGone()) {
                return turn.cancel(RunFailure.CLIENT_DISCONNECTED).action();
            }
            LOG.log(Level.WARNING, "The model failed in run " + run.id() + " (" + e.code() + ")", e);
            return turn.fail(RunFailure.fromModel(e.code(), e.getMessage())).action();
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
            TurnStep step = turn.accept(item.get(), context.clock().now());
            turn = step.turn();
            emitAll(step.events());
            if (!(step.action() instanceof NextAction.KeepStreaming)) {
                return step.action();
            }
        }
        if (clientIsGone()) {
            return turn.cancel(RunFailure.CLIENT_DISCONNECTED).action();
        }
        TurnStep end = turn.endOfStream(context.clock().now());
        turn = end.turn();
        emitAll(end.events());
        return end.action();
    }

    /** Runs a round of tools and adds the exchange to the conversation; a decision to stop if the run must end instead. */
    private Optional<NextAction> runTools(ToolLoop.LoopAction.RunTools tools, List<ModelMessage> messages) {
        ToolRound round = new ToolRound(context, run, agent, this::emitUnlessGone);
        try {
            this.tools.set(round);
            if (clientIsGone()) {
                round.stop();
            }
            List<ModelMessage> results = round.run(tools.round(), tools.calls());
            if (clientIsGone()) {
                return Optional.of(loop.cancel(RunFailure.CLIENT_DISCONNECTED));
            }
            messages.add(new ModelMessage.Assistant(tools.text(), tools.calls()));
            messages.addAll(results);
            return Optional.empty();
        } catch (ClientDisconnected e) {
            return Optional.of(loop.cancel(RunFailure.CLIENT_DISCONNECTED));
        } catch (StoreFailure | RecordConflict e) {
            LOG.log(Level.WARNING, "The tool calls of run " + run.id() + " could not be stored", e);
            return Optional.of(loop.fail(RunFailure.STORE_ERROR));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "The tool calls of run " + run.id() + " failed unexpectedly", e);
            return Optional.of(loop.fail(RunFailure.INTERNAL_ERROR));
        } finally {
            this.tools.set(null);
        }
    }

    /** A step per model call, with its usage, cost and latency; a store fault here costs the record, not the run. */
    private void recordModelCall(int round, NextAction called, Instant started) {
        RunFailure why = switch (called) {
            case NextAction.Fail fail -> fail.failure();
            case NextAction.Cancel cancel -> cancel.reason();
            case NextAction.Complete complete -> null;
            case NextAction.CallTools call -> null;
            case NextAction.EndIncomplete cut -> null;
            case NextAction.KeepStreaming keep -> null;
        };
        StepStatus status = why == null ? StepStatus.COMPLETED
                : called instanceof NextAction.Cancel ? StepStatus.CANCELLED : StepStatus.FAILED;
        try {
            context.steps().create(Step.modelCall(context.ids().newStepId(), run.id(), run.threadId(), round,
                    modelName(), turn.usage(), status, why == null ? null : why.code(), started,
                    context.clock().now()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not record model call " + round + " of run " + run.id(), e);
        }
    }

    private ChatOutcome carryOut(NextAction action) {
        return switch (action) {
            case NextAction.Complete complete -> complete(complete.answer(), complete.usage());
            case NextAction.EndIncomplete cut -> end(RunStatus.INCOMPLETE, cut.answer(), cut.reason(), cut.usage());
            case NextAction.Fail fail -> end(RunStatus.FAILED, fail.partialAnswer(), fail.failure(), fail.usage());
            case NextAction.Cancel cancel -> end(RunStatus.CANCELLED, cancel.partialAnswer(), cancel.reason(), cancel.usage());
            // The loop turns every request for tools into a round of tools or an end; none is left here.
            case NextAction.CallTools call -> end(RunStatus.FAILED, call.answerSoFar(), RunFailure.INTERNAL_ERROR, call.usage());
            case NextAction.KeepStreaming keep -> end(RunStatus.FAILED, loop.answerSoFar(), RunFailure.INTERNAL_ERROR, loop.usage());
        };
    }

    private ChatOutcome complete(String answer, Usage usage) {
        Transition<Run> done;
        try {
            MessageId answerId = storeAnswer(answer, MessageStatus.COMPLETE);
            done = run.complete(answerId, usage, context.clock().now());
            context.runs().update(done.state());
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
        Instant now = context.clock().now();
        Transition<Run> end = switch (status) {
            case FAILED -> run.fail(why, partialId, usage, now);
            case CANCELLED -> run.cancel(why, partialId, usage, now);
            case INCOMPLETE -> run.endIncomplete(why, partialId, usage, now);
            case QUEUED, IN_PROGRESS, COMPLETED -> throw new IllegalArgumentException("not an early end: " + status);
        };
        try {
            context.runs().update(end.state());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Could not record the end of run " + run.id() + " (" + why.code() + ")", e);
        }
        run = end.state();
        emitUnlessGone(end.events());
        return new ChatOutcome.Ended(run, partial);
    }

    private MessageId storeAnswer(String content, MessageStatus status) {
        Message answer = Message.answer(context.ids().newMessageId(), run.threadId(), run.id(), content, status,
                context.clock().now());
        context.messages().append(answer);
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
        ToolRound running = tools.get();
        if (running != null) {
            running.stop();
        }
    }

    private boolean clientIsGone() {
        return stream.get() == CLOSED;
    }
}
