package dev.agentchat.adapter.memory.model;

import dev.agentchat.ports.chat.ChatModel;
import dev.agentchat.ports.chat.ModelFailure;
import dev.agentchat.ports.chat.ModelRequest;
import dev.agentchat.ports.chat.ModelStream;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat model that plays queued replies in order, one per request, and records what it was asked.
 * For tests of anything that talks to a model: the text, tool calls, usage, pauses and faults are the
 * test's to choose. With no reply queued it fails as an unreachable model would.
 */
public final class ScriptedChatModel implements ChatModel {
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<ModelRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger closedStreams = new AtomicInteger();

    /** Queues the reply for a later request. */
    public ScriptedChatModel reply(Reply reply) {
        replies.add(reply);
        return this;
    }

    @Override
    public String modelName() {
        return "scripted";
    }

    @Override
    public String provider() {
        return "agentchat.scripted";
    }

    @Override
    public ModelStream stream(ModelRequest request) {
        requests.add(request);
        Reply reply = replies.poll();
        if (reply == null) {
            throw new ModelFailure("model_unavailable", "The scripted model has no reply left.");
        }
        return new CueStream(reply, closedStreams::incrementAndGet);
    }

    /** Every request so far, oldest first. */
    public List<ModelRequest> requests() {
        return List.copyOf(requests);
    }

    /** How many streams were closed. */
    public int closedStreams() {
        return closedStreams.get();
    }
}
