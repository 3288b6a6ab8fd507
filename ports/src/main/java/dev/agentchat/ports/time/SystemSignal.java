package dev.agentchat.ports.time;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A signal whose deadlines are readings of the clock that made it, waited for in real time: a lock and its
 * condition, which park a virtual thread without pinning it.
 */
final class SystemSignal implements Signal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final LongSupplier nanoTime;

    SystemSignal(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitUntil(BooleanSupplier done, long deadline) throws InterruptedException {
        lock.lock();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - nanoTime.getAsLong();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
