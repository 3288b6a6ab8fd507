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
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.agent.AgentCatalog;
import dev.agentchat.ports.run.LoggedEvents;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunSlot;
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
        ChatThread thread = callers.find(ref);
        Map<StepId, ApprovalDecision> decisions = decisionsOf(ref.userId(), choices, context.clock().now());
        Run run = find(thread.id(), runId);
        if (run.status() == RunStatus.REQUIRES_ACTION && outOfTime(run)) {
            Optional<Run> ended = endOutOfTime(run);
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
        Agent agent = agents.find(run.agentId()).orElseThrow(() -> new AgentNotFound(ref.agentId()));
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
            try {
                expireAndResume(expired.run());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not end the wait of run " + runId + " for approval", e);
            }
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
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not end the wait of run " + waiting.id() + " for approval", e);
            }
        }
        return resumed;
    }

    /**
     * The caller's choices as decisions, each naming a step once.
     *
     * @throws InvalidApprovals when a step is named more than once
     */
    private static Map<StepId, ApprovalDecision> decisionsOf(UserId user, List<ApprovalChoice> choices, Instant now) {
        Map<StepId, ApprovalDecision> decisions = new LinkedHashMap<>();
        Set<StepId> duplicated = new TreeSet<>(Comparator.comparing(StepId::value));
        for (ApprovalChoice choice : choices) {
            ApprovalDecision decision = choice.approved()
                    ? ApprovalDecision.approved(user, choice.reason().orElse(null), choice.arguments().orElse(null), now)
                    : ApprovalDecision.denied(user, choice.reason().orElse(null), now);
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

    private Optional<Run> endOutOfTime(Run waiting) {
        return control.recovery().endWaitingOutOfTime(waiting,
                Interruption.runTimedOut(control.settings().maxRunDuration()).reason());
    }

    /**
     * Ends the wait of {@code waiting} if its calls expired: they count as denied, and the run goes on
     * here. False when they have not expired, or another instance (or a decision) got there first.
     */
    private boolean expireAndResume(Run waiting) {
        Run current = find(waiting.threadId(), waiting.id());
        Optional<Transition<Run>> expired = current.expire(context.settings().approvalTimeout(), context.clock().now());
        if (expired.isEmpty()) {
            return false;
        }
        if (outOfTime(current)) {
            endOutOfTime(current);
            return false;
        }
        Optional<Agent> agent = agents.find(current.agentId());
        if (agent.isEmpty()) {
            LOG.log(Level.WARNING, "Run " + current.id() + " waits for approval, but its agent " + current.agentId()
                    + " is gone; it stays waiting until it is cancelled");
            return false;
        }
        try {
            context.runs().update(expired.get().state());
        } catch (RecordConflict e) {
            return false;   // decided, cancelled or expired elsewhere first: whoever wrote it goes on with it
        }
        resume(expired.get().state(), agent.get(), control.live().admit(current.userId(), UNLIMITED));
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
