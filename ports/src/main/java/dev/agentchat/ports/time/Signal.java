package dev.agentchat.ports.time;

import java.util.function.BooleanSupplier;

/**
 * Where threads wait for a condition another thread makes true, or for a deadline of the {@link Clock}
 * that made it, whichever comes first. The deadline is the clock's, so a manual clock releases the
 * wait when it is moved past it, and a test never sleeps for one.
 *
 * <p>The condition is read while the signal is held: make it true first, then call {@link #signal()},
 * and never call {@code signal()} while holding a lock the condition takes.
 */
public interface Signal {

    /** Wakes every thread waiting here, to read its condition again. */
    void signal();

    /**
     * Waits until {@code done} holds or the clock reaches {@code deadline} (a {@link Clock#nanoTime} reading).
     *
     * @return whether {@code done} holds; false when the deadline came first
     */
    boolean awaitUntil(BooleanSupplier done, long deadline) throws InterruptedException;
}
