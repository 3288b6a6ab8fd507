package dev.agentchat.ports.thread;

import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.ports.store.OnConflict;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.time.Clock;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;

/**
 * Frees a thread once its run has ended, for its next run. A conflict means the thread changed
 * meanwhile (a soft delete, say), so it is read again; a fault is only logged: a thread whose active
 * run has ended is free anyway, this only saves the next chat a read.
 */
public final class ThreadRelease {
    private static final System.Logger LOG = System.getLogger(ThreadRelease.class.getName());
    private static final int TRIES = 3;

    private final ThreadStore threads;
    private final Clock clock;

    public ThreadRelease(ThreadStore threads, Clock clock) {
        this.threads = Objects.requireNonNull(threads, "threads");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Frees the thread of {@code ended}, if that run is still the thread's active one. */
    public void free(Run ended) {
        try {
            OnConflict.retry(TRIES, () -> {
                Optional<ChatThread> current = threads.find(ended.scope(), ended.threadId());
                current.ifPresent(thread -> {
                    ChatThread freed = thread.runEnded(ended.id(), clock.now());
                    if (freed != thread) {
                        threads.update(freed);
                    }
                });
                return null;
            });
        } catch (RecordConflict e) {
            LOG.log(Level.DEBUG, "Thread {0} kept changing while run {1} freed it", ended.threadId(), ended.id());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not free thread " + ended.threadId() + " after run " + ended.id(), e);
        }
    }
}
