package dev.agentchat.ports.chat;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.ChatTurn;
import dev.agentchat.domain.chat.Interruption;
import dev.agentchat.domain.chat.ModelCallOutcome;
import dev.agentchat.domain.chat.ModelStreamItem;
import dev.agentchat.domain.chat.RunOutcome;
import dev.agentchat.domain.chat.StreamStep;
import dev.agentchat.domain.chat.ToolLoop;
import dev.agentchat.domain.chat.ToolRoundPlan;
import dev.agentchat.domain.chat.TurnEnd;
import dev.agentchat.domain.chat.TurnStep;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.message.MessageStatus;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.step.StepStatus;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.run.LiveRun;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.thread.ThreadRelease;
import dev.agentchat.ports.store.StoreFailure;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One chat turn in progress: the imperative shell around the domain's {@link ToolLoop} and
 * {@link ChatTurn}s. It calls the model, feeds each stream item to the turn, adds the events to the
 * {@link LiveRun} its clients follow, runs the tools the model asks for, and carries out the final
 * decision through the stores. It ends the run exactly once, whatever fails: a fault in any step
 * becomes the turn's failure, and recording the end swallows (and logs) its own faults. It frees the
 * thread for its next run before the last event goes out, so a client may send the next message as
 * soon as it has the answer. Used by one thread; only an interruption and tool progress come from others.
 */
final class TurnExecution {
    private static final System.Logger LOG = System.getLogger(TurnExecution.class.getName());

    private final TurnContext context;
    private final Agent agent;
    private final ThreadScope scope;
    private final List<ToolDefinition> offeredTools;
    /** The names of the client's own tools among them: their calls wait for the client. */
    private final Set<String> clientToolNames;
    /** The agent's own tools its model is offered: a call's approval goes by the tool its name stands for. */
    private final List<ToolDefinition> agentTools;
    /** The model the agent's calls go to, as steps and prices name it. */
    private final String modelName;
    private LiveRun live;

    /** Why the run is being stopped from outside, once it is. */
    private final AtomicReference<Interruption> interruption = new AtomicReference<>();
    /** The open model stream, or CLOSED once the run is interrupted; shared with the interrupting thread. */
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

    /** The round of tools running now, if any: an interruption stops it. */
    private final AtomicReference<ToolRound> tools = new AtomicReference<>();

    private Run run;
    private ToolLoop loop;
    private ChatTurn turn;
    private MessageId storedAnswer;

    /** What was current where the turn was set up (the request that started or resumed the run): its run's parent. */
    private final Observation origin;
    /** The run, watched from when its thread takes it up. */
    private Observation observed = Observation.NONE;
    /** The model the service said answered the model call going on, once it said. */
    private Optional<String> responseModel = Optional.empty();

    TurnExecution(TurnContext context, Agent agent, Run run, ThreadScope scope) {
        this(context, agent, run, scope, ToolLoop.start(context.settings().maxModelCalls()));
    }

    private TurnExecution(TurnContext context, Agent agent, Run run, ThreadScope scope, ToolLoop loop) {
        this.context = context;
        this.agent = agent;
        this.run = run;
        this.scope = scope;
        this.modelName = agent.modelName(context.model().modelName());
        this.loop = loop;
        this.turn = newTurn();
        // The client's own tools stand beside the agent's; a resumed run offers the ones its request declared,
        // but for any the agent has come to have under the same name while the run waited: the agent's own wins,
        // as a message declaring such a tool is refused, and a model is never offered two tools of one name.
        List<ToolDefinition> agentTools = agent.toolsOffered(context.tools().definitions());
        Set<String> agentToolNames = agentTools.stream().map(ToolDefinition::name).collect(Collectors.toSet());
        List<ToolDefinition> clientTools = run.clientTools().stream()
                .filter(tool -> !agentToolNames.contains(tool.name())).toList();
        this.offeredTools = Stream.concat(agentTools.stream(), clientTools.stream()).toList();
        this.clientToolNames = clientTools.stream().map(ToolDefinition::name).collect(Collectors.toUnmodifiableSet());
        this.agentTools = agentTools;
        this.origin = context.telemetry().current();
    }

    /**
     * The turn of {@code run}, stored as resumed after its pause for approval: its loop goes on from the
     * paused round, with the answer and usage up to the pause.
     */
    static TurnExecution resumed(TurnContext context, Agent agent, Run run, ThreadScope scope) {
        ApprovalRound paused = run.approvals();
        return new TurnExecution(context, agent, run, scope, ToolLoop.resume(context.settings().maxModelCalls(),
                paused.round(), paused.answerSoFar(), run.usage()));
    }

    ChatOutcome execute(LiveRun liveRun, List<ModelMessage> conversation) {
        this.live = liveRun;
        live.onInterrupt(this::interrupt);
        watch(false);
        // Current for the recovery from a bug too: its writes and its log lines are the run's.
        Observation.Scope inRun = observed.makeCurrent();
        try {
            return converseToEnd(conversation);
        } catch (RuntimeException e) {
            // Every step catches its own faults; this is for a bug between them, which must still end the run.
            LOG.log(Level.ERROR, "Run " + run.id() + " failed unexpectedly", e);
            return end(loop.fail(RunFailure.INTERNAL_ERROR));
        } finally {
            inRun.close();
            observed.end(new Outcome.RunEnded(run));
        }
    }

    /** Begins watching the run, within the request that set the turn up, for the clients that follow it too. */
    private void watch(boolean resumed) {
        observed = context.telemetry().begin(new Work.AgentRun(run, agent, modelName, context.model().provider(), resumed),
                origin);
        live.watchedAs(observed, context.telemetry());
    }

    private ChatOutcome converseToEnd(List<ModelMessage> conversation) {
        List<ModelMessage> messages = new ArrayList<>(conversation);
        while (true) {
            int round = loop.nextRound();
            Instant started = context.clock().now();
            turn = newTurn();
            ModelCallOutcome called = converse(new ModelRequest(agent.id(), agent.instructions(), messages, offeredTools,
                    agent.model()));
            recordModelCall(round, called, started);
            ToolLoop.LoopStep next = loop.afterModelCall(called);
            loop = next.loop();
            switch (next.action()) {
                case ToolLoop.LoopAction.End end -> {
                    return carryOut(end.outcome());
                }
                case ToolLoop.LoopAction.RunTools tools -> {
                    ToolRoundPlan plan = plan(tools.calls());
                    Optional<RunOutcome> stopped = runTools(tools, plan, messages);
                    if (stopped.isPresent()) {
                        return carryOut(stopped.get());
                    }
                    if (plan.pauses()) {
                        return pause(tools.round(), plan);
                    }
                }
            }
        }
    }

    private ChatTurn newTurn() {
        return ChatTurn.begin(context.settings().prices().priceOf(modelName).orElse(null));
    }

    /** One model call, watched from its request to its outcome. */
    private ModelCallOutcome converse(ModelRequest request) {
        Observation call = context.telemetry().begin(new Work.ModelCall(request, modelName, context.model().provider(),
                run.threadId()), observed);
        responseModel = Optional.empty();
        ModelCallOutcome outcome = null;
        try {
            outcome = converse(request, call);
            return outcome;
        } finally {
            call.end(outcome != null ? new Outcome.ModelAnswered(outcome, responseModel)
                    : Outcome.failed(RunFailure.INTERNAL_ERROR.code()));
        }
    }

    /** One model call, streamed through a fresh chat turn; every fault becomes the call's outcome. */
    private ModelCallOutcome converse(ModelRequest request, Observation call) {
        live.modelWaiting();   // the wait for the first byte counts towards the model's idle limit too
        try (ModelStream answer = context.model().stream(request)) {
            if (stream.getAndUpdate(open -> open == CLOSED ? CLOSED : answer) == CLOSED) {
                return stopped();
            }
            ModelCallOutcome outcome = readToOutcome(answer, call);
            responseModel = answer.responseModel();
            stream.compareAndSet(answer, null);
            return outcome;
        } catch (ModelFailure e) {
            if (isInterrupted()) {
                return stopped();
            }
            // The client gets the plain message; the detail (address, the service's words, the exception) only the log.
            LOG.log(Level.WARNING, "The model failed in run " + run.id() + " (" + e.code() + "): " + e.detail(), e);
            return turn.fail(RunFailure.fromModel(e.code(), e.getMessage()));
        } catch (StoreFailure | RecordConflict e) {
            LOG.log(Level.WARNING, "Run " + run.id() + " could not be stored", e);
            return turn.fail(RunFailure.STORE_ERROR);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Run " + run.id() + " failed unexpectedly", e);
            return turn.fail(RunFailure.INTERNAL_ERROR);
        } finally {
            live.modelIdle();
        }
    }

    /** How the model call ends when the run was interrupted during it. */
    private RunOutcome stopped() {
        return turn.interrupt(interruption.get());
    }

    private ModelCallOutcome readToOutcome(ModelStream answer, Observation call) {
        // Told by the stream when its first chunk arrives, or else at its first item; once either way.
        FirstChunk first = new FirstChunk(call);
        answer.whenFirstChunk(first);
        for (Optional<ModelStreamItem> item = answer.next(); item.isPresent(); item = answer.next()) {
            first.run();
            TurnStep step = turn.accept(item.get(), context.clock().now());
            turn = step.turn();
            emitAll(step.events());
            switch (step.action()) {
                case StreamStep.KeepStreaming keep -> live.modelWaiting();
                case ModelCallOutcome ended -> {
                    return ended;
                }
            }
        }
        if (isInterrupted()) {
            return stopped();
        }
        TurnEnd end = turn.endOfStream(context.clock().now());
        turn = end.turn();
        emitAll(end.events());
        return end.outcome();
    }

    /** Tells a model call's observation of its first chunk, once; run by the thread reading the answer. */
    private static final class FirstChunk implements Runnable {
        private final Observation call;
        private boolean told;

        FirstChunk(Observation call) {
            this.call = call;
        }

        @Override
        public void run() {
            if (!told) {
                told = true;
                call.firstChunk();
            }
        }
    }

    /** The id a waiting call is tried with while it is planned, before it has one of its own. */
    private static final StepId PLANNED = StepId.of("planned");

    /**
     * Which calls run now, which wait for approval and which for the client. A waiting call must be one a
     * step can record; a call the model wrote wrongly runs now instead, where it is refused as every such
     * call is.
     */
    private ToolRoundPlan plan(List<ModelStreamItem.ToolCallRequest> calls) {
        ToolRoundPlan plan = ToolRoundPlan.of(agent, agentTools, clientToolNames, calls);
        List<ToolRoundPlan.PlannedCall> now = new ArrayList<>(plan.runNow());
        List<ToolRoundPlan.PlannedCall> approval = new ArrayList<>();
        List<ToolRoundPlan.PlannedCall> client = new ArrayList<>();
        Instant at = context.clock().now();
        for (ToolRoundPlan.PlannedCall call : plan.waiting()) {
            boolean forClient = plan.isForClient(call);
            try {
                awaiting(PLANNED, call, forClient, 1, at, at);
                (forClient ? client : approval).add(call);
            } catch (IllegalArgumentException e) {
                now.add(call);
            }
        }
        now.sort(Comparator.comparingInt(ToolRoundPlan.PlannedCall::position));
        return new ToolRoundPlan(now, approval, client);
    }

    private Transition<Step> awaiting(StepId id, ToolRoundPlan.PlannedCall call, boolean forClient, int round,
                                      Instant expiresAt, Instant now) {
        ModelStreamItem.ToolCallRequest request = call.request();
        return forClient
                ? Step.awaitClientResult(id, run.id(), run.threadId(), round, call.position(),
                        request.callId(), request.toolName(), request.arguments(), expiresAt, now)
                : Step.awaitApproval(id, run.id(), run.threadId(), round, call.position(),
                        request.callId(), request.toolName(), request.arguments(), expiresAt, now);
    }

    /**
     * Runs the calls of a round that need no approval and, unless some wait for it, adds the exchange to
     * the conversation; how the run ends if it must end instead.
     */
    private Optional<RunOutcome> runTools(ToolLoop.LoopAction.RunTools tools, ToolRoundPlan plan,
                                          List<ModelMessage> messages) {
        ToolRound round = new ToolRound(context, run, agent, agentTools, this::emitAll, observed);
        try {
            this.tools.set(round);
            Interruption before = interruption.get();
            if (before != null) {
                round.stop(before.reason().message());
            }
            List<ModelMessage> results = round.run(tools.round(), plan.runNow());
            if (isInterrupted()) {
                return Optional.of(loop.interrupt(interruption.get()));
            }
            if (!plan.pauses()) {
                messages.add(new ModelMessage.Assistant(tools.text(), tools.calls()));
                messages.addAll(results);
            }
            return Optional.empty();
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

    /**
     * Pauses the run until a person decides the waiting calls of {@code round}, and the client gives the
     * results of those of its own tools: stores a step for each, then the run with everything another
     * instance needs to go on, and only then tells the followers, so that a decision may be taken the
     * moment a client sees what waits. The turn ends here; the run keeps its thread, and gives its place
     * among the user's runs back once the pause is stored, before anyone hears of it: a decision taken at
     * once must not find the place still held.
     */
    private ChatOutcome pause(int round, ToolRoundPlan plan) {
        Instant now = context.clock().now();
        Instant expiresAt = now.plus(context.settings().approvalTimeout());
        List<ToolRoundPlan.PlannedCall> waiting = plan.waiting();
        List<Transition<Step>> created = new ArrayList<>(waiting.size());
        try {
            for (ToolRoundPlan.PlannedCall call : waiting) {
                Transition<Step> step = awaiting(context.ids().newStepId(), call, plan.isForClient(call), round,
                        expiresAt, now);
                context.steps().create(step.state());
                created.add(step);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The waiting tool calls of run " + run.id() + " could not be stored", e);
            return endWithout(created, RunFailure.STORE_ERROR.message(), loop.fail(RunFailure.STORE_ERROR));
        }
        if (isInterrupted()) {
            // Stopped while its calls were being stored (a limit, or the service stopping): it ends as it would have.
            Interruption why = interruption.get();
            return endWithout(created, why.reason().message(), loop.interrupt(why));
        }
        List<PendingCall> pending = created.stream().map(Transition::state)
                .map(step -> new PendingCall(step.id(), step.position(), step.callId(), step.toolName(), step.arguments(),
                        step.isClientSide()))
                .toList();
        List<ChatEvent> told = pauseEvents(created);
        // The events about to go out are numbered next: whoever resumes the run numbers past them.
        long pausedAtEvent = live.lastSequence() + told.size();
        Transition<Run> paused = run.awaitApproval(ApprovalRound.waiting(round, pausedAtEvent, expiresAt,
                loop.answerSoFar(), pending), loop.usage(), now);
        try {
            context.runs().update(paused.state());
        } catch (RecordConflict e) {
            // The stored run moved on: a cancel asked for meanwhile wins, as it would over the run's end.
            Optional<Run> stored = context.runs().find(run.threadId(), run.id());
            if (stored.isPresent() && stored.get().status() == RunStatus.CANCELLING) {
                return endWithout(created, RunFailure.CANCELLED.message(), loop.interrupt(Interruption.cancelled()));
            }
            LOG.log(Level.WARNING, "Run " + run.id() + " changed while it paused", e);
            return endWithout(created, RunFailure.STORE_ERROR.message(), loop.fail(RunFailure.STORE_ERROR));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The pause of run " + run.id() + " could not be stored", e);
            return endWithout(created, RunFailure.STORE_ERROR.message(), loop.fail(RunFailure.STORE_ERROR));
        }
        run = paused.state();
        live.givePlaceBack();
        emitAll(told);
        return new ChatOutcome.AwaitingApproval(run, loop.answerSoFar());
    }

    /**
     * What the waiting steps tell, in the order the followers get it: the {@code trace_start} of each call
     * the client runs (it is the client's to run from now on), then the {@code approval_required} of every
     * waiting call, so that the pause is told whole after every call has begun.
     */
    private static List<ChatEvent> pauseEvents(List<Transition<Step>> waiting) {
        List<ChatEvent> begun = new ArrayList<>();
        List<ChatEvent> asked = new ArrayList<>();
        for (Transition<Step> step : waiting) {
            for (ChatEvent event : step.events()) {
                (event instanceof ChatEvent.ApprovalRequired ? asked : begun).add(event);
            }
        }
        begun.addAll(asked);
        return begun;
    }

    /**
     * Ends the run as {@code outcome} says instead of pausing it: the calls that were to wait end with
     * it, cancelled or failed ({@code why}). Nobody was told of them (not even of the client's calls,
     * whose beginning is told with the pause), so their ends are only stored.
     */
    private ChatOutcome endWithout(List<Transition<Step>> waiting, String why, RunOutcome outcome) {
        Instant now = context.clock().now();
        for (Transition<Step> step : waiting) {
            try {
                context.steps().update(outcome instanceof RunOutcome.Cancel
                        ? step.state().cancel(why, now).state() : step.state().fail(why, now).state());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not end waiting step " + step.state().id() + " of run " + run.id(), e);
            }
        }
        return carryOut(outcome);
    }

    /**
     * Goes on with a run resumed after its pause for approval, in {@code liveRun}: the paused round's
     * decided calls are run or denied, its results join {@code conversation} (the conversation up to
     * that round, {@link ConversationHistory#resuming}) after the round's calls, and the loop goes on to
     * the run's end, or its next pause.
     *
     * @param roundSteps the steps of the paused round: those that ran before the pause, and those that waited
     */
    ChatOutcome resume(LiveRun liveRun, List<ModelMessage> conversation, List<Step> roundSteps) {
        this.live = liveRun;
        live.onInterrupt(this::interrupt);
        watch(true);
        Observation.Scope inRun = observed.makeCurrent();
        try {
            List<ModelMessage> messages = new ArrayList<>(conversation);
            Optional<RunOutcome> stopped = finishPausedRound(roundSteps, messages);
            if (stopped.isPresent()) {
                return carryOut(stopped.get());
            }
            return converseToEnd(messages);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Run " + run.id() + " failed unexpectedly", e);
            return end(loop.fail(RunFailure.INTERNAL_ERROR));
        } finally {
            inRun.close();
            observed.end(new Outcome.RunEnded(run));
        }
    }

    /**
     * Denies the paused round's calls a person denied (or let expire), completes the client's calls with
     * what the client's tools gave, runs those approved, and adds the whole round to the conversation as
     * the model asked for it, with the arguments in force and every result in the order of the calls; how
     * the run ends if it must end instead.
     */
    private Optional<RunOutcome> finishPausedRound(List<Step> roundSteps, List<ModelMessage> messages) {
        Map<StepId, ApprovalDecision> decisions = run.approvals().decisions();
        List<Step> ordered = roundSteps.stream().sorted(Comparator.comparingInt(Step::position)).toList();
        Map<StepId, String> results = new HashMap<>();
        List<Step> approved = new ArrayList<>();
        ToolRound round = new ToolRound(context, run, agent, agentTools, this::emitAll, observed);
        try {
            for (Step step : ordered) {
                ApprovalDecision decision = decisions.get(step.id());
                if (step.status() != StepStatus.AWAITING_APPROVAL || decision == null) {
                    results.put(step.id(), step.resultForModel());
                } else if (decision.approved() && step.isClientSide()) {
                    Transition<Step> returned = step.clientReturned(decision, context.clock().now());
                    context.steps().update(returned.state());
                    emitAll(returned.events());
                    results.put(step.id(), returned.state().resultForModel());
                } else if (decision.approved()) {
                    approved.add(step);
                } else {
                    Transition<Step> denied = step.deny(decision, context.clock().now());
                    context.steps().update(denied.state());
                    emitAll(denied.events());
                    results.put(step.id(), denied.state().resultForModel());
                }
            }
            this.tools.set(round);
            Interruption before = interruption.get();
            if (before != null) {
                round.stop(before.reason().message());
            }
            List<ModelMessage> ran = round.runApproved(approved, decisions);
            for (int index = 0; index < approved.size(); index++) {
                results.put(approved.get(index).id(), ran.get(index).content());
            }
            if (isInterrupted()) {
                return Optional.of(loop.interrupt(interruption.get()));
            }
        } catch (StoreFailure | RecordConflict e) {
            LOG.log(Level.WARNING, "The decided tool calls of run " + run.id() + " could not be stored", e);
            return Optional.of(loop.fail(RunFailure.STORE_ERROR));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "The decided tool calls of run " + run.id() + " failed unexpectedly", e);
            return Optional.of(loop.fail(RunFailure.INTERNAL_ERROR));
        } finally {
            this.tools.set(null);
            failStillWaiting(ordered);
        }
        messages.add(new ModelMessage.Assistant("", ordered.stream()
                .map(step -> new ModelStreamItem.ToolCallRequest(step.callId(), step.toolName(), argumentsInForce(step, decisions)))
                .toList()));
        for (Step step : ordered) {
            messages.add(new ModelMessage.ToolResult(step.callId(), results.get(step.id())));
        }
        return Optional.empty();
    }

    private static String argumentsInForce(Step step, Map<StepId, ApprovalDecision> decisions) {
        ApprovalDecision decision = decisions.get(step.id());
        return decision != null && decision.approved() ? decision.argumentsOr(step.arguments()) : step.effectiveArguments();
    }

    /**
     * A waiting call a store failure left waiting ends failed with the run, so no step outlives it
     * waiting; its followers, told it waits, are told it ended, even should its end not be stored.
     */
    private void failStillWaiting(List<Step> roundSteps) {
        for (Step step : roundSteps) {
            if (step.status() != StepStatus.AWAITING_APPROVAL) {
                continue;
            }
            try {
                Optional<Step> stored = context.steps().listByRun(run.threadId(), run.id()).stream()
                        .filter(current -> current.id().equals(step.id())).findFirst();
                if (stored.isPresent() && stored.get().status() == StepStatus.AWAITING_APPROVAL) {
                    Transition<Step> failed = stored.get().fail(RunFailure.STORE_ERROR.message(), context.clock().now());
                    try {
                        context.steps().update(failed.state());
                    } finally {
                        emitAll(failed.events());
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not end waiting step " + step.id() + " of run " + run.id(), e);
            }
        }
    }

    /** A step per model call, with its usage, cost and latency; a store fault here costs the record, not the run. */
    private void recordModelCall(int round, ModelCallOutcome called, Instant started) {
        try {
            context.steps().create(Step.modelCall(context.ids().newStepId(), run.id(), run.threadId(), round,
                    modelName, called, started, context.clock().now()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not record model call " + round + " of run " + run.id(), e);
        }
    }

    private ChatOutcome carryOut(RunOutcome outcome) {
        return switch (outcome) {
            case RunOutcome.Complete complete -> complete(complete);
            case RunOutcome.EndIncomplete cut -> end(cut);
            case RunOutcome.Fail fail -> end(fail);
            case RunOutcome.Cancel cancel -> end(cancel);
        };
    }

    private ChatOutcome complete(RunOutcome.Complete complete) {
        Transition<Run> done;
        try {
            MessageId answerId = storeAnswer(complete.answer(), MessageStatus.COMPLETE);
            done = recordEnd(run.end(complete, answerId, context.clock().now()));
        } catch (StoreFailure | RecordConflict e) {
            LOG.log(Level.WARNING, "The answer of run " + run.id() + " could not be stored", e);
            return end(complete.failedInstead(RunFailure.STORE_ERROR));
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Run " + run.id() + " failed unexpectedly while completing", e);
            return end(complete.failedInstead(RunFailure.INTERNAL_ERROR));
        }
        run = done.state();
        new ThreadRelease(context.threads(), context.clock()).free(run);
        emitAll(done.events());
        return run.status() == RunStatus.COMPLETED
                ? new ChatOutcome.Answered(run.id(), run.threadId(), run.answerMessageId(), complete.answer(), complete.usage())
                : new ChatOutcome.Ended(run, complete.answer());
    }

    /**
     * Ends the run without a complete answer: keeps what was answered, records why, and tells the
     * client if it is still there. It throws nothing: the end must be reported even when a store fails.
     */
    private ChatOutcome end(RunOutcome outcome) {
        String partial = outcome.answer();
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
        Transition<Run> end = run.end(outcome, partialId, context.clock().now());
        try {
            end = recordEnd(end);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Could not record the end of run " + run.id() + " (" + end.state().status() + ")", e);
        }
        run = end.state();
        new ThreadRelease(context.threads(), context.clock()).free(run);
        emitAll(end.events());
        return new ChatOutcome.Ended(run, partial);
    }

    /**
     * Records the run's end. If the stored run moved on meanwhile, the run decides what ends it instead
     * (a cancel asked for meanwhile wins); any other change is a conflict this turn cannot settle.
     */
    private Transition<Run> recordEnd(Transition<Run> next) {
        try {
            context.runs().update(next.state());
            return next;
        } catch (RecordConflict e) {
            Run stored = context.runs().find(run.threadId(), run.id()).orElseThrow(() -> e);
            Transition<Run> instead = stored.endInsteadOf(next.state(), context.clock().now()).orElseThrow(() -> e);
            context.runs().update(instead.state());
            return instead;
        }
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
            live.emit(event);
        }
    }

    /** Stops the run from outside: closes the model's stream at once and stops the tools running. */
    private void interrupt(Interruption why) {
        if (!interruption.compareAndSet(null, why)) {
            return;
        }
        ModelStream open = stream.getAndSet(CLOSED);
        if (open != null && open != CLOSED) {
            open.close();
        }
        ToolRound running = tools.get();
        if (running != null) {
            running.stop(why.reason().message());
        }
    }

    private boolean isInterrupted() {
        return interruption.get() != null;
    }
}
