package dev.agentchat.adapter.memory;

import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.chat.ChatEventSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client that stays until it leaves and keeps every numbered event it is sent, and the ids it was opened with. */
class RecordedEvents implements ChatEventSink {
    final List<RunEvent> events = new CopyOnWriteArrayList<>();
    volatile RunId runId;
    volatile ThreadId threadId;
    private volatile Runnable onLeave = () -> {
    };

    @Override
    public void open(RunId run, ThreadId thread) {
        runId = run;
        threadId = thread;
    }

    @Override
    public void emit(RunEvent numbered) {
        events.add(numbered);
    }

    @Override
    public void onDisconnect(Runnable action) {
        onLeave = action;
    }

    /** The client goes away, as a closed connection would tell. */
    void leave() {
        onLeave.run();
    }

    /** The ids of the events it got, in the order it got them. */
    List<Long> ids() {
        return events.stream().map(RunEvent::sequence).toList();
    }
}
