package dev.agentchat.ports.thread;

import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.ports.store.PageRequest;
import java.util.Optional;
import java.util.Set;

/** Keeps threads. Every read is confined to one agent and user. */
public interface ThreadStore {

    /** Stores a new thread; a thread with the same id is a {@link dev.agentchat.ports.store.RecordConflict}. */
    void create(ChatThread thread);

    /** The thread, if it exists within the scope (deleted or not). */
    Optional<ChatThread> find(ThreadScope scope, ThreadId id);

    /** The scope's threads with one of the statuses, most recently updated first (ties by id). */
    ThreadPage list(ThreadScope scope, Set<ThreadStatus> statuses, PageRequest page);

    /**
     * Replaces a stored thread with its next revision. A missing thread, or one stored at another
     * revision than the one before (someone changed it meanwhile), is a
     * {@link dev.agentchat.ports.store.RecordConflict}: no change is silently overwritten.
     */
    void update(ChatThread thread);

    /** Removes the thread record; true if it was there. */
    boolean delete(ThreadScope scope, ThreadId id);
}
