package dev.agentchat.ports.chat;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.chat.RequestRetry;
import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.refusal.ThreadBusy;
import dev.agentchat.domain.refusal.ThreadDeleted;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.ports.agent.AgentCatalog;
import dev.agentchat.domain.refusal.AgentNotFound;
import dev.agentchat.domain.refusal.IdempotencyKeyReused;
import dev.agentchat.domain.refusal.IdempotentRequestPending;
import dev.agentchat.domain.refusal.TooManyActiveRuns;
import dev.agentchat.ports.run.LiveRun;
import dev.agentchat.ports.run.RunControl;
import dev.agentchat.ports.run.RunRecovery;
import dev.agentchat.ports.run.RunSlot;
import dev.agentchat.ports.run.RunStreams;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.domain.refusal.ThreadNotFound;
import dev.agentchat.ports.thread.ThreadStore;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs chat turns: checks the request, takes one of the user's places for a run in progress (or
 * refuses the chat, {@code TooManyActiveRuns}, before anything is stored), claims its idempotency
 * key, stores the thread (claiming it for the run), the user message and the run, then starts a
 * {@link TurnExecution} on a thread of its own and lets the client follow it. The run does not depend on the client: one that leaves can
 * come back through the run's event stream, and what a leaving client means for the run is the
 * disconnect policy's choice.
 */
public final class ChatService implements StartChat {
    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    private final AgentCatalog agents;
    private final ThreadStore threads;
    private final TurnContext context;
    private final RunStreams streams;
    private final RunRecovery recovery;
    private final IdempotencyKeys keys;

    /**
     * @param context what the turns work with: the stores, the model and tools, the clock, ids and settings
     * @param control this instance's runs: their streams, and the recovery of runs other instances abandoned
     * @param keys    the idempotency keys that make a retried request follow the run it started
     */
    public ChatService(AgentCatalog agents, TurnContext context, RunControl control, IdempotencyKeys keys) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.context = Objects.requireNonNull(context, "context");
        this.threads = context.threads();
        this.streams = control.streams();
        this.recovery = control.recovery();
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public ChatOutcome chat(ChatCommand command, ChatEventSink sink) {
        Agent agent = agents.find(command.agentId()).orElseThrow(() -> new AgentNotFound(command.agentId()));
        // Refused before anything is stored or claimed.
        agent.checkClientTools(command.clientTools(), context.tools().definitions());
        ThreadScope scope = new ThreadScope(agent.id(), command.userId());
        Instant now = context.clock().now();
        // A thread the client names itself is continued if it is there, and opened under that name otherwise.
        Optional<ThreadId> named = command.clientThreadKey().map(key -> key.threadOf(agent.id(), command.userId()));
        ChatThread existing = command.threadId().map(id -> find(scope, id))
                .or(() -> named.flatMap(id -> threads.find(scope, id))).orElse(null);
        ThreadId threadId = existing != null ? existing.id() : named.orElseGet(() -> context.ids().newThreadId());
        RunId runId = context.ids().newRunId();

        Optional<IdempotentRequest> claim = command.idempotencyKey().map(key -> new IdempotentRequest(scope, key,
                command.fingerprint(), threadId, runId, now.plus(streams.settings().idempotencyWindow())));
        // Before anything is stored: a refused chat leaves no thread, message, run or idempotency key.
        RunSlot slot;
        try {
            slot = streams.live().admit(command.userId(), context.settings().activeRunLimit());
        } catch (TooManyActiveRuns refused) {
            // A retry of a request whose run is going on starts nothing, so the limit is no reason to refuse it.
            return replayAtTheLimit(claim, now, sink).orElseThrow(() -> refused);
        }
        Started started;
        try {
            if (claim.isPresent()) {
                Optional<IdempotentRequest> earlier = keys.claim(claim.get(), now);
                if (earlier.isPresent()) {
                    slot.release();   // a retry starts nothing: it follows the run its key named
                    return replay(claim.get(), earlier.get(), sink);
                }
            }
            started = startTurn(command, agent, existing, threadId, runId, now, claim);
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        }
        return run(started, slot, sink);
    }

    /**
     * For a chat refused by the active-run limit: when its key names an earlier request, the chat is a retry,
     * and follows that request's run; otherwise the key is given back, so the refusal stores nothing.
     */
    private Optional<ChatOutcome> replayAtTheLimit(Optional<IdempotentRequest> claim, Instant now, ChatEventSink sink) {
        if (claim.isEmpty()) {
            return Optional.empty();
        }
        Optional<IdempotentRequest> earlier = keys.claim(claim.get(), now);
        if (earlier.isEmpty()) {
            keys.release(claim.get());
            return Optional.empty();
        }
        return Optional.of(replay(claim.get(), earlier.get(), sink));
    }

    /** Starts the stored turn on a thread of its own, holding the user's {@code slot}, and lets the client follow it. */
    private ChatOutcome run(Started started, RunSlot slot, ChatEventSink sink) {
        boolean listening = open(sink, started.run());
        CompletableFuture<ChatOutcome> outcome = new CompletableFuture<>();
        LiveRun live;
        try {
            live = streams.live().start(started.run(), slot, running -> {
                try {
                    outcome.complete(started.turn().execute(running, started.conversation()));
                } catch (RuntimeException | Error e) {
                    outcome.completeExceptionally(e);
                    throw e;
                }
            });
        } catch (RuntimeException | Error e) {
            slot.release();   // the run never began, so it will never retire and give its place back
            throw e;
        }
        if (listening) {
            streams.followAcrossPauses(started.run(), live, sink);
        } else {
            live.clientLeft();
        }
        return outcome.join();
    }

    /** Checks the agent still takes messages and stores the turn's records; a failure gives the request's key back. */
    private Started startTurn(ChatCommand command, Agent agent, ChatThread existing, ThreadId threadId, RunId runId,
                              Instant now, Optional<IdempotentRequest> claim) {
        try {
            agent.checkTakesMessages();   // a retired agent keeps its threads readable, but takes nothing new
            return setUp(command, agent, existing, threadId, runId, now);
        } catch (RuntimeException e) {
            claim.ifPresent(this::release);
            throw e;
        }
    }

    /** Opens the client's stream before the turn starts, so it sees every event; false when the client has gone already. */
    private static boolean open(ChatEventSink sink, Run run) {
        try {
            sink.open(run.id(), run.threadId());
            return true;
        } catch (RuntimeException e) {
            // Whatever the sink's fault, the run is stored and must run to its end: nobody listens, that is all.
            LOG.log(Level.DEBUG, "Could not open the stream of run " + run.id(), e);
            return false;
        }
    }

    /** A turn ready to run: its records are stored. */
    private record Started(Run run, TurnExecution turn, List<ModelMessage> conversation) {
    }

    private Started setUp(ChatCommand command, Agent agent, ChatThread existing, ThreadId threadId, RunId runId,
                          Instant now) {
        ChatThread thread = existing == null
                ? ChatThread.open(threadId, agent.id(), command.userId(), command.message(), runId, now)
                : existing.startRun(runId, activeRunOf(existing), now);   // refuses a deleted or busy thread
        List<ModelMessage> conversation = existing == null ? new ArrayList<>()
                : new ArrayList<>(ConversationHistory.of(context.messages().listByThread(existing.id()),
                        context.steps().listByThread(existing.id()), agent.historyTokenBudget()));
        Message request = Message.fromUser(context.ids().newMessageId(), thread.id(), runId, command.message(), now);
        // The run is stored already started: a queued state that nobody waits in would cost a write per turn.
        Run run = Run.queue(runId, thread.id(), thread.scope(), agent.version(), request.id(), command.clientTools(), now)
                .start(now).state();

        // Prepared before anything is stored: a fault here must not leave a run that nothing will end.
        TurnExecution turn = new TurnExecution(context, agent, run, thread.scope());
        try {
            storeTurnRecords(existing == null, thread, run, request);
        } catch (RecordConflict e) {
            throw busyOr(e, thread);
        }
        conversation.add(ModelMessage.user(request.content()));
        return new Started(run, turn, conversation);
    }

    /** The run the thread names as active, as stored; one abandoned by a stopped instance is ended first. */
    private Optional<Run> activeRunOf(ChatThread thread) {
        return thread.activeRun()
                .flatMap(id -> context.runs().find(thread.id(), id))
                .map(run -> recovery.abandonIfAbandoned(run).orElse(run));
    }

    /**
     * A thread that changed under a starting run was most likely claimed by a run that started first:
     * the thread as it is now says so by the same rule that refuses a busy thread up front.
     */
    private RuntimeException busyOr(RecordConflict conflict, ChatThread thread) {
        try {
            Optional<ChatThread> current = threads.find(thread.scope(), thread.id());
            if (current.isPresent()) {
                current.get().checkClaimable(activeRunOf(current.get()), context.clock().now());
            }
        } catch (ThreadBusy | ThreadDeleted refused) {
            return refused;
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Could not tell why thread " + thread.id() + " changed", e);
        }
        return conflict;
    }

    /** A retry of a request already taken: the client gets that run's stream and outcome, not a second run. */
    private ChatOutcome replay(IdempotentRequest retry, IdempotentRequest earlier, ChatEventSink sink) {
        return switch (RequestRetry.judge(earlier.fingerprint(), retry.fingerprint(),
                () -> context.runs().find(earlier.threadId(), earlier.runId()))) {
            case RequestRetry.KeyReused() -> throw new IdempotencyKeyReused();
            case RequestRetry.Pending() -> throw new IdempotentRequestPending();
            case RequestRetry.Follow(Run run) -> follow(run, sink);
        };
    }

    private ChatOutcome follow(Run run, ChatEventSink sink) {
        streams.checkReplayable(run);
        streams.follow(run, sink, 0);
        return SettledRuns.outcomeOf(streams.awaitEnd(run), context.messages(), context.clock().now());
    }

    private void release(IdempotentRequest claim) {
        try {
            keys.release(claim);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not release idempotency key of a request that failed to start", e);
        }
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
            releaseClaim(newThread, thread, run);
            throw e;
        }
        try {
            context.messages().append(request);
        } catch (RuntimeException e) {
            undoRun(newThread, thread, run);
            throw e;
        }
    }

    /** A continued thread claimed for a run that could not be stored is given back at once. */
    private void releaseClaim(boolean newThread, ChatThread thread, Run run) {
        if (newThread) {
            return;
        }
        try {
            threads.update(thread.runEnded(run.id(), context.clock().now()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not free thread " + thread.id() + " after a failed set-up", e);
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
