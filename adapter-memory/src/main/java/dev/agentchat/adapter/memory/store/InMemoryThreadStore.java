package dev.agentchat.adapter.memory.store;

import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.thread.ThreadPage;
import dev.agentchat.ports.thread.ThreadStore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Threads in a concurrent map. Listing scans and sorts: fine for the embedded default and tests, not for millions. */
public final class InMemoryThreadStore implements ThreadStore {
    private static final Comparator<ChatThread> NEWEST_FIRST = Comparator
            .comparing(ChatThread::updatedAt).reversed()
            .thenComparing(thread -> thread.id().value());

    private final ConcurrentMap<ThreadId, ChatThread> threads = new ConcurrentHashMap<>();

    @Override
    public void create(ChatThread thread) {
        if (threads.putIfAbsent(thread.id(), thread) != null) {
            throw new RecordConflict("thread " + thread.id() + " exists already");
        }
    }

    @Override
    public Optional<ChatThread> find(ThreadScope scope, ThreadId id) {
        return Optional.ofNullable(threads.get(id)).filter(thread -> thread.belongsTo(scope));
    }

    @Override
    public ThreadPage list(ThreadScope scope, Set<ThreadStatus> statuses, PageRequest page) {
        List<ChatThread> matching = threads.values().stream()
                .filter(thread -> thread.belongsTo(scope) && statuses.contains(thread.status()))
                .sorted(NEWEST_FIRST)
                .toList();
        List<ChatThread> slice = matching.stream().skip(page.offset()).limit(page.limit()).toList();
        return new ThreadPage(slice, matching.size(), page.limit(), page.offset());
    }

    @Override
    public void update(ChatThread thread) {
        threads.compute(thread.id(), (id, stored) -> {
            if (stored == null) {
                throw new RecordConflict("thread " + thread.id() + " does not exist");
            }
            if (stored.revision() != thread.revision() - 1) {
                throw new RecordConflict("thread " + thread.id() + " changed meanwhile (revision " + stored.revision()
                        + ", not " + (thread.revision() - 1) + ")");
            }
            return thread;
        });
    }

    @Override
    public boolean delete(ThreadScope scope, ThreadId id) {
        // One atomic step per key: a concurrent update must not make the delete miss the thread.
        boolean[] removed = {false};
        threads.computeIfPresent(id, (key, thread) -> {
            removed[0] = thread.belongsTo(scope);
            return removed[0] ? null : thread;
        });
        return removed[0];
    }
}
