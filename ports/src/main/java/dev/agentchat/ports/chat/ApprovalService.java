package dev.agentchat.ports.chat;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.chat.EventIdReservation;
import dev.agentchat.domain.chat.Interruption;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.domain.refusal.ApprovalConflict;
import dev.agentchat.domain.refusal.ApprovalExpired;
import dev.agentchat.domain.refusal.InvalidApprovals;
import dev.agentchat.domain.refusal.RunNotFound;
import dev.agentchat.domain.run.ActiveRunLimit;
import dev.agentchat.domain.run.ApprovalVerdict;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.step.StepKind;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.agent.AgentCatalog;
import dev.agentchat.ports.run.LoggedEvents;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunSlot;
import dev.agentchat.domain.refusal.ServiceDraining;
import dev.agentchat.ports.store.OnConflict;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.thread.CallersThreads;
import dev.agentchat.ports.thread.ThreadRef;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Takes a person's decisions on a run that waits for approval and resumes it here, whichever instance
 * paused it: everything the run needs to go on is read back from the store. Also ends the waiting of
 * runs nobody decided in time, their calls counting as denied.
 *
 * <p>The stored run settles every race: of two decisions, or a decision and the expiry, or a decision
 * and a cancel, the first to write the run's next revision wins, and only the winner resumes it.
 */
public final class ApprovalService implements DecideApprovals {
    private static final System.Logger LOG = System.getLogger(ApprovalService.class.getName());
    private static final int DECIDE_TRIES = 3;
    /** Runs expired per sweep: the next sweep takes the rest. */
    private static final int EXPIRED_PER_SWEEP = 100;
    /**
     * A run resumed because its calls expired goes on whatever its user runs meanwhile: nobody asked
     * for it now, and leaving it waiting would only hold its thread longer.
     */
    private static final ActiveRunLimit UNLIMITED = ActiveRunLimit.of(Integer.MAX_VALUE);

    private final AgentCatalog agents;
    private final TurnContext context;
    private final RunControl control;
    private final CallersThreads callers;

    public ApprovalService(AgentCatalog agents, TurnContext context, RunControl control) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.context = Objects.requireNonNull(context, "context");
        this.control = Objects.requireNonNull(control, "control");
        this.callers = new CallersThreads(agents, context.threads());
    }

    @Override
    public Run decideApprovals(ThreadRef ref, RunId runId, List<ApprovalChoice> choices) {
        ChatThread thread = threadOf(ref, runId);
        Map<StepId, ApprovalDecision> decisions = decisionsOf(ref.userId(), choices, context.clock().now());
        Run run = find(thread.id(), runId);
        if (run.status() == RunStatus.REQUIRES_ACTION && outOfTime(run)) {
            Optional<Run> ended = endDecidedOutOfTime(run, decisions);
            if (ended.isPresent()) {
                return ended.get();
            }
            run = find(thread.id(), runId);   // it changed first: judge the decisions on it as it is now
        }
        if (run.status() != RunStatus.REQUIRES_ACTION) {
            // Nothing to resume: the same decisions again get the run as it is, others a conflict; no place is needed.
            return switch (judge(run, decisions)) {
                case ApprovalVerdict.Repeated repeated -> repeated.run();
                case ApprovalVerdict.Accepted accepted -> throw new IllegalStateException("run " + run.id()
                        + " accepted decisions while " + run.status());
            };
        }
        Optional<Agent> found = agents.find(run.agentId());
        if (found.isEmpty()) {
            endAgentGone(run, Map.of());
            throw new AgentNotFound(ref.agentId());
        }
        Agent agent = found.get();
        RunSlot slot = control.live().admit(ref.userId(), context.settings().activeRunLimit());
        Run resumed;
        try {
            ApprovalVerdict verdict = OnConflict.retry(DECIDE_TRIES, () -> {
                Run current = find(thread.id(), runId);
                ApprovalVerdict judged = judge(current, decisions);
                if (judged instanceof ApprovalVerdict.Accepted accepted) {
                    context.runs().update(accepted.transition().state());
                }
                return judged;
            });
            switch (verdict) {
                case ApprovalVerdict.Repeated repeated -> {
                    slot.release();
                    return repeated.run();
                }
                case ApprovalVerdict.Accepted accepted -> resumed = accepted.transition().state();
            }
        } catch (ApprovalExpired expired) {
            slot.release();
            // Too late to decide: the calls count as denied, and the run goes on at once rather than at the next sweep.
            expireNow(expired.run());
            throw expired;
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        }
        resume(resumed, agent, slot);
        return resumed;
    }

    /** Resumes, as denied, the runs whose waiting calls expired undecided; how many it resumed. */
    public int expireOverdue() {
        int resumed = 0;
        for (Run waiting : context.runs().listAwaitingApproval(context.clock().now(), EXPIRED_PER_SWEEP)) {
            try {
                if (expireAndResume(waiting)) {
                    resumed++;
                }
            } catch (ServiceDraining stopping) {
                return resumed;   // this instance stops: the runs left wait for another instance's sweep
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not end the wait of run " + waiting.id() + " for approval", e);
            }
        }
        return resumed;
    }

    /**
     * The thread {@code ref} names. When its agent is gone, the run named that waits for approval is
     * ended first, since nothing can go on with it, and the caller is refused as before.
     */
    private ChatThread threadOf(ThreadRef ref, RunId runId) {
        try {
            return callers.find(ref);
        } catch (AgentNotFound gone) {
            try {
                context.threads().find(new ThreadScope(ref.agentId(), ref.userId()), ref.threadId())
                        .flatMap(thread -> context.runs().find(thread.id(), runId))
                        .filter(run -> run.status() == RunStatus.REQUIRES_ACTION && agents.find(run.agentId()).isEmpty())
                        .ifPresent(run -> endAgentGone(run, Map.of()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not end run " + runId + ", which waits for approval of a gone agent", e);
            }
            throw gone;
        }
    }

    /**
     * The caller's choices as decisions, each naming a step once. A choice with an output reports what the
     * client's own tool gave; whether its call is one of those, the run judges.
     *
     * @throws InvalidApprovals when a step is named more than once
     */
    private static Map<StepId, ApprovalDecision> decisionsOf(UserId user, List<ApprovalChoice> choices, Instant now) {
        Map<StepId, ApprovalDecision> decisions = new LinkedHashMap<>();
        Set<StepId> duplicated = new TreeSet<>(Comparator.comparing(StepId::value));
        for (ApprovalChoice choice : choices) {
            String reason = choice.reason().orElse(null);
            ApprovalDecision decision = choice.output().isPresent()
                    ? ApprovalDecision.ranByClient(user, reason, choice.output().get(), now)
                    : choice.approved() ? ApprovalDecision.approved(user, reason, choice.arguments().orElse(null), now)
                    : ApprovalDecision.denied(user, reason, now);
            if (decisions.putIfAbsent(choice.stepId(), decision) != null) {
                duplicated.add(choice.stepId());
            }
        }
        if (!duplicated.isEmpty()) {
            throw new InvalidApprovals(List.of(), List.of(), List.copyOf(duplicated));
        }
        return decisions;
    }

    /**
     * The run's verdict on the decisions. Decisions on calls of an earlier pause of the same run come
     * too late (those calls were decided, and the run went on): a conflict, not a mistaken request.
     */
    private ApprovalVerdict judge(Run run, Map<StepId, ApprovalDecision> decisions) {
        try {
            return run.decide(decisions, context.clock().now());
        } catch (InvalidApprovals invalid) {
            if (!invalid.unknown().isEmpty() && decidedEarlier(run, invalid.unknown())) {
                throw new ApprovalConflict(run, "its tool calls were decided in an earlier round already.");
            }
            throw invalid;
        }
    }

    private boolean decidedEarlier(Run run, List<StepId> named) {
        int round = run.approvals().round();
        Set<StepId> earlier = context.steps().listByRun(run.threadId(), run.id()).stream()
                .filter(step -> step.approval() != null && step.round() < round)
                .map(Step::id).collect(Collectors.toCollection(HashSet::new));
        return earlier.containsAll(named);
    }

    /** Whether the run has no working time left: it may not go on, whatever was decided. */
    private boolean outOfTime(Run run) {
        return run.workedBefore().compareTo(control.settings().maxRunDuration()) >= 0;
    }

    /**
     * Ends {@code waiting}, decided with no working time left, recording the {@code decisions} so that the
     * same ones sent again get the ended run. Decisions the run refuses are refused as ever; those that
     * come after the calls expired end it with the expiry recorded instead.
     */
    private Optional<Run> endDecidedOutOfTime(Run waiting, Map<StepId, ApprovalDecision> decisions) {
        Map<StepId, ApprovalDecision> decided;
        try {
            decided = switch (judge(waiting, decisions)) {
                case ApprovalVerdict.Accepted accepted -> accepted.transition().state().approvals().decisions();
                case ApprovalVerdict.Repeated repeated -> throw new IllegalStateException("run " + waiting.id()
                        + " judged decisions a repeat while it waits");
            };
        } catch (ApprovalExpired expired) {
            expireNow(expired.run());
            throw expired;
        }
        return endOutOfTime(waiting, decided);
    }

    private Optional<Run> endOutOfTime(Run waiting, Map<StepId, ApprovalDecision> decided) {
        return control.recovery().endWaitingOutOfTime(waiting,
                Interruption.runTimedOut(control.settings().maxRunDuration()).reason(), decided);
    }

    /**
     * Ends {@code waiting} incomplete, its agent being gone: left waiting, it would keep its thread busy
     * and head every sweep's list of expired runs for ever.
     */
    private Optional<Run> endAgentGone(Run waiting, Map<StepId, ApprovalDecision> decided) {
        LOG.log(Level.WARNING, "Run " + waiting.id() + " waits for approval, but its agent " + waiting.agentId()
                + " is gone; it ends incomplete");
        return control.recovery().endWaitingAgentGone(waiting, decided);
    }

    /** Ends the wait of {@code waiting}, whose calls expired, now rather than at the next sweep; a fault is only logged. */
    private void expireNow(Run waiting) {
        try {
            expireAndResume(waiting);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not end the wait of run " + waiting.id() + " for approval", e);
        }
    }

    /**
     * Ends the wait of {@code waiting} if its calls expired: they count as denied, and the run goes on
     * here. False when they have not expired, or another instance (or a decision) got there first, or
     * the run could not go on (no working time left, or its agent gone) and was ended with the expiry
     * recorded.
     */
    private boolean expireAndResume(Run waiting) {
        Run current = find(waiting.threadId(), waiting.id());
        Optional<Transition<Run>> expired = current.expire(context.settings().approvalTimeout(), context.clock().now());
        if (expired.isEmpty()) {
            return false;
        }
        Map<StepId, ApprovalDecision> expiry = expired.get().state().approvals().decisions();
        if (outOfTime(current)) {
            endOutOfTime(current, expiry);
            return false;
        }
        Optional<Agent> agent = agents.find(current.agentId());
        if (agent.isEmpty()) {
            endAgentGone(current, expiry);
            return false;
        }
        // Taken before the run is stored as going on: an instance that drains refuses it, and the run keeps waiting
        // for the sweep of another instance instead of being stored as resumed where it cannot run.
        RunSlot slot = control.live().admit(current.userId(), UNLIMITED);
        try {
            context.runs().update(expired.get().state());
        } catch (RecordConflict e) {
            slot.release();
            return false;   // decided, cancelled or expired elsewhere first: whoever wrote it goes on with it
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        }
        resume(expired.get().state(), agent.get(), slot);
        return true;
    }

    /**
     * Starts the turn of {@code run}, stored as resumed, on this instance: its conversation and the
     * paused round are read back from the store, and its events are numbered past every one the
     * pausing instance numbered.
     */
    private void resume(Run run, Agent agent, RunSlot slot) {
        try {
            ApprovalRound paused = run.approvals();
            // The pausing instance's last events may reach the log just after the decision: they are waited for (a
            // little), and the resumed run numbers past them, and past the pause in any case.
            LoggedEvents logged = control.streams().awaitPauseLogged(run);
            long lastEventId = Math.max(paused.pausedAtEvent(), logged.lastSequence());
            EventIdReservation reservation = EventIdReservation.fromLog(lastEventId, logged.recorded());
            List<ModelMessage> conversation = ConversationHistory.resuming(context.messages().listByThread(run.threadId()),
                    context.steps().listByThread(run.threadId()), run, agent.historyTokenBudget());
            List<Step> roundSteps = new ArrayList<>(context.steps().listByRun(run.threadId(), run.id()).stream()
                    .filter(step -> step.kind() == StepKind.TOOL_CALL && step.round() == paused.round()).toList());
            TurnExecution turn = TurnExecution.resumed(context, agent, run, run.scope());
            control.live().resume(run, slot, lastEventId, reservation, live -> turn.resume(live, conversation, roundSteps));
        } catch (RuntimeException | Error e) {
            // The run is stored as going on but never began here: recovery ends it once its working time is up.
            slot.release();
            LOG.log(Level.ERROR, "Run " + run.id() + " was decided but could not resume", e);
            throw e;
        }
    }

    private Run find(ThreadId thread, RunId runId) {
        return context.runs().find(thread, runId).orElseThrow(() -> new RunNotFound(runId));
    }
}
