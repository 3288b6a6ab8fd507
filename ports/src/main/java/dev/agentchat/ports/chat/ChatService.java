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
import dev.agentchat.ports.thread.ThreadNotFound;
import dev.agentchat.ports.thread.ThreadStore;
import dev.agentchat.ports.time.Clock;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs chat turns: checks the request, stores the thread, the user message and the run, then
 * hands the turn to a {@link TurnExecution} that streams the model through the domain's chat turn.
 */
public final class ChatService implements StartChat {
    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    private final AgentCatalog agents;
    private final ThreadStore threads;
    private final MessageStore messages;
    private final RunStore runs;
    private final ChatModel model;
    private final Clock clock;
    private final IdSource ids;

    public ChatService(AgentCatalog agents, ThreadStore threads, MessageStore messages, RunStore runs,
                       ChatModel model, Clock clock, IdSource ids) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.messages = Objects.requireNonNull(messages, "messages");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.model = Objects.requireNonNull(model, "model");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    @Override
    public ChatOutcome chat(ChatCommand command, ChatEventSink sink) {
        Agent agent = agents.find(command.agentId()).orElseThrow(() -> new AgentNotFound(command.agentId()));
        ThreadScope scope = new ThreadScope(agent.id(), command.userId());
        Instant now = clock.now();

        ChatThread existing = command.threadId().map(id -> find(scope, id)).orElse(null);
        List<Message> history = existing == null ? List.of() : messages.listByThread(existing.id());
        ChatThread thread = existing == null
                ? ChatThread.open(ids.newThreadId(), agent.id(), command.userId(), command.message(), now)
                : existing.continued(now);   // refuses a deleted thread
        RunId runId = ids.newRunId();
        Message request = Message.fromUser(ids.newMessageId(), thread.id(), runId, command.message(), now);
        // The run is stored already started: a queued state that nobody waits in would cost a write per turn.
        Run run = Run.queue(runId, thread.id(), agent.id(), request.id(), now).start(now).state();

        storeTurnRecords(existing == null, thread, run, request);
        TurnExecution turn = new TurnExecution(run, sink, model, messages, runs, clock, ids);
        return turn.execute(modelRequest(agent, history, request));
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
            runs.create(run);
        } catch (RuntimeException e) {
            undoNewThread(newThread, thread);
            throw e;
        }
        try {
            messages.append(request);
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
                runs.deleteByThread(thread.id());
            } else {
                runs.update(run.fail(RunFailure.STORE_ERROR, null, run.usage(), clock.now()).state());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not end run " + run.id() + " after a failed set-up", e);
        }
        undoNewThread(newThread, thread);
    }

    private static ModelRequest modelRequest(Agent agent, List<Message> history, Message request) {
        List<ModelMessage> conversation = new ArrayList<>(history.size() + 1);
        // Answers cut short are included: the user saw them, so the model should too.
        for (Message message : history) {
            switch (message.role()) {
                case USER -> conversation.add(ModelMessage.user(message.content()));
                case ASSISTANT -> conversation.add(ModelMessage.assistant(message.content()));
                // Instructions come from the agent, not the thread; tool messages are not stored yet.
                case SYSTEM, TOOL -> { }
            }
        }
        conversation.add(ModelMessage.user(request.content()));
        return new ModelRequest(agent.id(), agent.instructions(), conversation);
    }
}
