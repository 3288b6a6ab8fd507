package dev.agentchat.ports.run;

import dev.agentchat.domain.chat.Interruption;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.run.CancelRequest;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.ports.agent.AgentCatalog;
import dev.agentchat.domain.refusal.RunFinished;
import dev.agentchat.domain.refusal.RunNotFound;
import dev.agentchat.ports.chat.ChatEventSink;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.store.OnConflict;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.thread.CallersThreads;
import dev.agentchat.ports.thread.ThreadRef;
import dev.agentchat.ports.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Lists, reads, cancels and streams runs, always within the caller's agent, user and thread. */
public final class RunService implements ListRuns, ReadRun, CancelRun, FollowRun {
    /** How long a cancel waits for a run executing here to stop, before answering that it is stopping. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);
    private static final int CANCEL_TRIES = 3;

    private final CallersThreads callers;
    private final RunStore runs;
    private final StepStore steps;
    private final RunStreams streams;
    private final RunRecovery recovery;
    private final Clock clock;

    /** Over the agents, the conversation records, the runs going on and the clock. */
    public RunService(AgentCatalog agents, RunRecords records, RunControl control, Clock clock) {
        this.callers = new CallersThreads(agents, records.threads());
        this.runs = records.runs();
        this.steps = records.steps();
        this.streams = control.streams();
        this.recovery = control.recovery();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public List<Run> listRuns(ThreadRef ref) {
        return runs.listByThread(thread(ref).id());
    }

    @Override
    public RunDetails readRun(ThreadRef ref, RunId runId) {
        Run run = run(ref, runId);
        return new RunDetails(run, steps.listByRun(run.threadId(), run.id()));
    }

    @Override
    public Run cancelRun(ThreadRef ref, RunId runId) {
        // A conflict means the run moved on meanwhile (it ended, or another cancel got there first): look again.
        Run run = OnConflict.retry(CANCEL_TRIES, () -> switch (run(ref, runId).cancelRequested(clock.now())) {
            case CancelRequest.Accepted(Transition<Run> asked) -> {
                runs.update(asked.state());
                yield asked.state();
            }
            case CancelRequest.EndsWaiting(Run waiting) -> recovery.cancelWaiting(waiting)
                    .orElseThrow(() -> new RecordConflict("run " + waiting.id() + " changed while it was cancelled"));
            case CancelRequest.AlreadyCancelling(Run cancelling) -> cancelling;
            case CancelRequest.Refused(Run finished) -> throw new RunFinished(finished);
        });
        // The stored status reaches an instance executing it elsewhere at its next cancel check.
        streams.live().find(runId).ifPresent(live -> {
            live.interrupt(Interruption.cancelled());
            live.awaitRetired(CANCEL_WAIT);
        });
        return runs.find(run.threadId(), run.id()).orElse(run);
    }

    @Override
    public void followRun(ThreadRef ref, RunId runId, long after, ChatEventSink sink) {
        Run run = run(ref, runId);
        streams.checkReplayable(run);
        streams.follow(run, sink, after);
    }

    private Run run(ThreadRef ref, RunId runId) {
        ChatThread thread = thread(ref);
        return runs.find(thread.id(), runId).orElseThrow(() -> new RunNotFound(runId));
    }

    private ChatThread thread(ThreadRef ref) {
        return callers.find(ref);
    }
}
