package dev.agentchat.ports.chat;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;

/**
 * Where a chat turn's events go: a client's stream, or a collector. {@link #emit} may be called from
 * several threads at once (tools running together report progress), so implementations are thread-safe.
 */
public interface ChatEventSink {

    /**
     * The turn is set up: its thread, user message and run are stored. Called once, before the
     * first event; until then the caller may still answer with an ordinary error.
     */
    void open(RunId runId, ThreadId threadId);

    /**
     * Passes one event on, at once.
     *
     * @throws ClientDisconnected when the client is gone
     */
    void emit(ChatEvent event);

    /**
     * Runs {@code action} once the client is known to be gone (at once if it already is), from
     * whichever thread noticed. The turn uses it to stop the model without waiting for its next item.
     */
    void onDisconnect(Runnable action);
}
