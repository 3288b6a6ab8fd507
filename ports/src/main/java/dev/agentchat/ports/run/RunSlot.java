package dev.agentchat.ports.run;

import dev.agentchat.domain.thread.UserId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One of a user's places for a run in progress on this instance, held from the moment a chat is
 * admitted until its run retires or pauses for approval, or until its set-up fails. Releasing it twice
 * frees one place only.
 */
public final class RunSlot {
    private final UserId user;
    private final LiveRuns owner;
    private final AtomicBoolean released = new AtomicBoolean();

    RunSlot(UserId user, LiveRuns owner) {
        this.user = Objects.requireNonNull(user, "user");
        this.owner = owner;
    }

    public UserId user() {
        return user;
    }

    /** Frees the place for the user's next run; once only, however often it is called. */
    public void release() {
        if (released.compareAndSet(false, true)) {
            owner.free(user);
        }
    }
}
