package dev.agentchat.ports.chat;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.domain.refusal.ApprovalConflict;
import dev.agentchat.domain.refusal.ThreadNotFound;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.ports.agent.AgentCatalog;
import dev.agentchat.ports.run.RunStreams;
import dev.agentchat.ports.thread.ThreadRef;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Answers the pause of a client's thread in the client's next request, as protocols that end a run at its pause
 * (AG-UI) do: finds the run that waits, has {@link DecideApprovals} decide it (which resumes it here), and
 * follows it from its pause to its end or its next pause. Whether the answers fit the pause is the run's own
 * judgement, as for decisions sent to the approvals endpoint.
 */
public final class ClientThreadResumes implements ResumeClientThread {
    private final AgentCatalog agents;
    private final TurnContext context;
    private final DecideApprovals decisions;
    private final RunStreams streams;

    public ClientThreadResumes(AgentCatalog agents, TurnContext context, DecideApprovals decisions, RunStreams streams) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.context = Objects.requireNonNull(context, "context");
        this.decisions = Objects.requireNonNull(decisions, "decisions");
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    /**
     * {@inheritDoc}
     *
     * @throws AgentNotFound     when the agent is not there
     * @throws ThreadNotFound    when the client has no thread of that name with the agent
     * @throws ApprovalConflict  when the thread's run waits for nothing (it ended, or goes on)
     */
    @Override
    public ChatOutcome resume(ClientResume resume, ChatEventSink sink) {
        // The thread is named as a new message names it: by the agent's own id, whichever alias the client used.
        // An agent deleted while the run waited is known by the id the client gives: deciding ends such a run at
        // once (and refuses the answers), rather than leaving it to hold its thread until its calls expire.
        Optional<Agent> agent = agents.find(resume.agentId());
        AgentId agentId = agent.map(Agent::id).orElse(resume.agentId());
        ThreadId threadId = resume.key().threadOf(agentId, resume.userId());
        ChatThread thread = context.threads().find(new ThreadScope(agentId, resume.userId()), threadId)
                .orElseThrow(() -> agent.isEmpty() ? new AgentNotFound(resume.agentId()) : new ThreadNotFound(threadId));
        Run waiting = waitingRunOf(thread);
        long pausedAt = waiting.approvals().pausedAtEvent();
        Run decided = decisions.decideApprovals(new ThreadRef(agentId, resume.userId(), thread.id()), waiting.id(),
                resume.answers());
        streams.follow(decided, sink, pausedAt);
        return SettledRuns.outcomeOf(streams.awaitEnd(decided), context.messages(), context.clock().now());
    }

    /** The thread's run that waits for answers; refused as a conflict, naming its latest run, when none does. */
    private Run waitingRunOf(ChatThread thread) {
        Optional<Run> active = thread.activeRun().flatMap(id -> context.runs().find(thread.id(), id));
        if (active.isPresent() && active.get().status() == RunStatus.REQUIRES_ACTION) {
            return active.get();
        }
        Run latest = active.or(() -> context.runs().listByThread(thread.id()).stream()
                        .max(Comparator.comparing(Run::createdAt)))
                .orElseThrow(() -> new ThreadNotFound(thread.id()));
        throw new ApprovalConflict(latest, "it waits for no answer.");
    }
}
