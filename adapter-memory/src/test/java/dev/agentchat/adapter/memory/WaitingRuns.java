package dev.agentchat.adapter.memory;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.ApprovalVerdict;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.run.EventLog;
import dev.agentchat.ports.run.RunRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds runs as an instance leaves them when it pauses for approval, straight through the domain and
 * the stores: the run, stored waiting, its one call awaiting approval, and the events it logged.
 */
final class WaitingRuns {
    static final ThreadScope SCOPE = new ThreadScope(AgentId.of("helper"), UserId.of("ada"));
    static final Duration APPROVAL_TIMEOUT = Duration.ofMinutes(15);
    static final String TOOL = "calculator";
    static final String ARGUMENTS = "{\"expression\":\"6*7\"}";

    private final RunRecords records;
    private final EventLog log;

    WaitingRuns(RunRecords records, EventLog log) {
        this.records = records;
        this.log = log;
    }

    /**
     * A run that paused: its call, and the {@code approval_required} event it emits once the pause is
     * stored (numbered {@code run.approvals().pausedAtEvent()} by whoever emits it).
     */
    record Paused(Run run, Step call, ChatEvent approvalRequired) {
        long pausedAtEvent() {
            return run.approvals().pausedAtEvent();
        }
    }

    /** A run of a new thread, stored as started at {@code startedAt}, which holds its thread. */
    Run started(String id, Instant startedAt) {
        RunId runId = RunId.of(id);
        ThreadId threadId = ThreadId.of("thread_" + id);
        records.threads().create(ChatThread.open(threadId, SCOPE.agentId(), SCOPE.userId(), "What is 6*7?", runId,
                startedAt));
        Run run = Run.queue(runId, threadId, SCOPE, 1, MessageId.of("msg_" + id), startedAt).start(startedAt).state();
        records.runs().create(run);
        return run;
    }

    /**
     * Stores the pause of {@code running} at {@code now}, as its turn does: the waiting call's step, then
     * the run waiting, having answered {@code answerSoFar}, with {@code pausedAtEvent} the id its
     * {@code approval_required} event is to have.
     */
    Paused pause(Run running, String answerSoFar, long pausedAtEvent, Instant now) {
        StepId stepId = StepId.of("step_" + running.id().value());
        var awaiting = Step.awaitApproval(stepId, running.id(), running.threadId(), 1, 0, "call_1", TOOL, ARGUMENTS,
                now.plus(APPROVAL_TIMEOUT), now);
        records.steps().create(awaiting.state());
        ApprovalRound round = ApprovalRound.waiting(1, pausedAtEvent, now.plus(APPROVAL_TIMEOUT), answerSoFar,
                List.of(new PendingCall(stepId, 0, "call_1", TOOL, ARGUMENTS)));
        Run waiting = running.awaitApproval(round, Usage.NONE, now).state();
        records.runs().update(waiting);
        return new Paused(waiting, awaiting.state(), awaiting.events().getFirst());
    }

    /**
     * A run that started at {@code startedAt}, answered {@code answerSoFar} (event 1) and paused at
     * {@code now} (event 2, {@code approval_required}); the log holds both, or only the first when
     * its instance never wrote its last batch.
     */
    Paused waiting(String id, String answerSoFar, Instant startedAt, Instant now, boolean lastBatchLogged) {
        Run running = started(id, startedAt);
        Paused paused = pause(running, answerSoFar, 2, now);
        RunEvent token = new RunEvent(1, new ChatEvent.Token(answerSoFar, now));
        RunEvent pause = new RunEvent(2, paused.approvalRequired());
        log.append(running.threadId(), running.id(), lastBatchLogged ? List.of(token, pause) : List.of(token),
                now.plus(Duration.ofHours(1)));
        return paused;
    }

    /** The owner approves the paused call at {@code now}: the run as stored, going on. */
    Run approve(Paused paused, Instant now) {
        ApprovalDecision yes = ApprovalDecision.approved(SCOPE.userId(), null, null, now);
        var verdict = paused.run().decide(Map.of(paused.call().id(), yes), now);
        Run resumed = ((ApprovalVerdict.Accepted) verdict).transition().state();
        records.runs().update(resumed);
        return resumed;
    }
}
