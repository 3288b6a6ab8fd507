package dev.agentchat.ports.chat;

import dev.agentchat.domain.refusal.IdempotencyKeyReused;
import dev.agentchat.domain.refusal.IdempotentRequestPending;

/** Use case: a user sends an agent a message and watches the answer arrive. */
public interface StartChat {

    /**
     * Runs one chat turn, passing its events to {@code sink} as they happen, and returns how it ended.
     * The run goes on apart from the sink: if the client leaves, this returns once the run has ended
     * (or been stopped, under the cancel policy). A command with an idempotency key already used for
     * the same request follows that request's run instead of starting another.
     * Errors found before anything is stored are thrown: {@link dev.agentchat.domain.refusal.AgentNotFound},
     * {@link dev.agentchat.domain.refusal.ThreadNotFound}, {@link dev.agentchat.domain.refusal.ThreadDeleted},
     * {@link dev.agentchat.domain.refusal.ThreadBusy} while the thread's run goes on,
     * {@link dev.agentchat.domain.refusal.ClientToolClash} when the client's own tools are named like the agent's,
     * {@link IdempotencyKeyReused}, {@link IdempotentRequestPending}, and
     * {@link dev.agentchat.ports.store.StoreFailure} when the turn's records cannot be stored.
     * Every later fault ends the run and is reported through the sink and the outcome.
     */
    ChatOutcome chat(ChatCommand command, ChatEventSink sink);
}
