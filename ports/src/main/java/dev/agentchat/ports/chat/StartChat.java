package dev.agentchat.ports.chat;

/** Use case: a user sends an agent a message and watches the answer arrive. */
public interface StartChat {

    /**
     * Runs one chat turn, passing its events to {@code sink} as they happen, and returns how it ended.
     * Errors found before anything is stored are thrown: {@link dev.agentchat.ports.agent.AgentNotFound},
     * {@link dev.agentchat.ports.thread.ThreadNotFound}, {@link dev.agentchat.domain.thread.ThreadDeleted},
     * and {@link dev.agentchat.ports.store.StoreFailure} when the turn's records cannot be stored.
     * Every later fault ends the run and is reported through the sink and the outcome.
     */
    ChatOutcome chat(ChatCommand command, ChatEventSink sink);
}
