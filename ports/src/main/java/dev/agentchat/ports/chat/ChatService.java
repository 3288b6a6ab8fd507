package dev.agentchat.ports.chat;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.ports.agent.AgentCatalog;
import dev.agentchat.ports.agent.AgentNotFound;
import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.thread.ThreadNotFound;
import dev.agentchat.ports.thread.ThreadStore;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolRuntime;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs chat turns: checks the request, stores the thread, the user message and the run, then
 * hands the turn to a {@link TurnExecution} that calls the model (and tools) through the domain.
 */
public final class ChatService implements StartChat {
    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    private final AgentCatalog agents;
    private final ThreadStore threads;
    private final TurnContext context;

    public ChatService(AgentCatalog agents, ThreadStore threads, MessageStore messages, RunStore runs, StepStore steps,
                       ChatModel model, ToolRuntime tools, Clock clock, IdSource ids, ChatSettings settings) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.context = new TurnContext(Objects.requireNonNull(model, "model"), Objects.requireNonNull(tools, "tools"),
                Objects.requireNonNull(messages, "messages"), Objects.requireNonNull(runs, "runs"),
                Objects.requireNonNull(steps, "steps"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(ids, "ids"), Objects.requireNonNull(settings, "settings"));
    }

    @Override
    public ChatOutcome chat(ChatCommand command, ChatEventSink sink) {
        Agent agent = agents.find(command.agentId()).orElseThrow(() -> new AgentNotFound(command.agentId()));
        agent.checkTakesMessages();   // a retired agent keeps its threads readable, but takes nothing new
        ThreadScope scope = new ThreadScope(agent.id(), command.userId());
        Instant now = context.clock().now();

        ChatThread existing = command.threadId().map(id -> find(scope, id)).orElse(null);
        ChatThread thread = existing == null
                ? ChatThread.open(context.ids().newThreadId(), agent.id(), command.userId(), command.message(), now)
                : existing.continued(now);   // refuses a deleted thread
        List<ModelMessage> conversation = existing == null ? List.of()
                : ConversationHistory.of(context.messages().listByThread(existing.id()),
                        context.steps().listByThread(existing.id()), agent.historyTokenBudget());
        RunId runId = context.ids().newRunId();
        Message request = Message.fromUser(context.ids().newMessageId(), thread.id(), runId, command.message(), now);
        // The run is stored already started: a queued state that nobody waits in would cost a write per turn.
        Run run = Run.queue(runId, thread.id(), agent.id(), agent.version(), request.id(), now).start(now).state();

        // Prepared before anything is stored: a fault here must not leave a run that nothing will end.
        TurnExecution turn = new TurnExecution(context, agent, run, sink);
        storeTurnRecords(existing == null, thread, run, request);
        List<ModelMessage> withRequest = new ArrayList<>(conversation);
        withRequest.add(ModelMessage.user(request.content()));
        return turn.execute(withRequest);
    }

    private ChatThread find(ThreadScope scope, ThreadId id) {
        return threads.find(scope, id).orElseThrow(() -> new ThreadNotFound(id));
    }

    /**
     * Stores what must exist before the first event. If a write fails, the ones before it are undone
     * (or the run is ended failed), so a failed set-up leaves no half-written turn behind.
     */
    private void storeTurnRecords(boolean newThread, ChatThread thread, Run run, Message request) {
        if (newThread) {
            threads.create(thread);
        } else {
            threads.update(thread);
        }
        try {
            context.runs().create(run);
        } catch (RuntimeException e) {
            undoNewThread(newThread, thread);
            throw e;
        }
        try {
            context.messages().append(request);
        } catch (RuntimeException e) {
            undoRun(newThread, thread, run);
            throw e;
        }
    }

    private void undoNewThread(boolean newThread, ChatThread thread) {
        if (!newThread) {
            return;
        }
        try {
            threads.delete(thread.scope(), thread.id());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not remove thread " + thread.id() + " after a failed set-up", e);
        }
    }

    private void undoRun(boolean newThread, ChatThread thread, Run run) {
        try {
            if (newThread) {
                context.runs().deleteByThread(thread.id());
            } else {
                context.runs().update(run.fail(RunFailure.STORE_ERROR, null, run.usage(), context.clock().now()).state());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not end run " + run.id() + " after a failed set-up", e);
        }
        undoNewThread(newThread, thread);
    }
}
