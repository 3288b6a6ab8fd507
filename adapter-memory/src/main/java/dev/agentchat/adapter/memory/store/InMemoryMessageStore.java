package dev.agentchat.adapter.memory.store;

import dev.agentchat.domain.message.Message;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.ports.message.MessageStore;
import dev.agentchat.ports.store.RecordConflict;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Messages in a map of per-thread lists. Each list is changed and copied only under the map's lock for its key. */
public final class InMemoryMessageStore implements MessageStore {
    private final ConcurrentMap<ThreadId, List<Message>> byThread = new ConcurrentHashMap<>();
    private final Set<MessageId> ids = ConcurrentHashMap.newKeySet();

    @Override
    public void append(Message message) {
        if (!ids.add(message.id())) {
            throw new RecordConflict("message " + message.id() + " exists already");
        }
        byThread.compute(message.threadId(), (thread, list) -> {
            List<Message> messages = list == null ? new ArrayList<>() : list;
            messages.add(message);
            return messages;
        });
    }

    @Override
    public List<Message> listByThread(ThreadId threadId) {
        List<Message> copy = new ArrayList<>();
        byThread.computeIfPresent(threadId, (thread, list) -> {
            copy.addAll(list);
            return list;
        });
        return List.copyOf(copy);
    }

    @Override
    public int deleteByThread(ThreadId threadId) {
        List<Message> removed = byThread.remove(threadId);
        if (removed == null) {
            return 0;
        }
        removed.forEach(message -> ids.remove(message.id()));
        return removed.size();
    }
}
