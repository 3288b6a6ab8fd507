package dev.agentchat.ports.chat;

import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;

/**
 * Where one client watching a run gets its events: a client's stream, or a collector. A sink is
 * fed by one thread, which serves that client alone, so {@link #emit} may wait for a slow client
 * without holding up the run or anyone else watching it.
 */
public interface ChatEventSink {

    /**
     * A sink nobody watches, for a caller that wants only the outcome (a request that does not stream,
     * a benchmark counting writes): its events go nowhere and it never disconnects.
     */
    ChatEventSink NOBODY = new ChatEventSink() {
        @Override
        public void open(RunId runId, ThreadId threadId) {
        }

        @Override
        public void emit(RunEvent event) {
        }

        @Override
        public void onDisconnect(Runnable action) {
        }

        @Override
        public boolean followsPastPauses() {
            return false;
        }
    };

    /**
     * The run is set up and about to be followed. Called once, before the first event; until
     * then the caller may still answer with an ordinary error.
     */
    void open(RunId runId, ThreadId threadId);

    /**
     * Passes one event on, in sequence order.
     *
     * @throws ClientDisconnected when the client is gone, or stopped reading
     */
    void emit(RunEvent event);

    /**
     * Runs {@code action} once the client is known to be gone (at once if it already is), from
     * whichever thread noticed, so that a client waiting for events that have not come yet is
     * let go without waiting for them.
     */
    void onDisconnect(Runnable action);

    /**
     * Whether this sink follows a run on past a pause (for approval, or for a result the client's own tool
     * gives) until someone answers it: a stream of this service's own events does, keeping the client's
     * request open; a sink whose protocol ends its run at the pause and continues in a new request does not,
     * and neither does {@link #NOBODY}, whose caller wants the run as it stands at the pause.
     */
    default boolean followsPastPauses() {
        return true;
    }
}
