package dev.agentchat.ports.store;

import java.util.function.Supplier;

/**
 * The one way a service retries a read-decide-write that lost to a concurrent change: the attempt is
 * run again from its read, at most {@code tries} times, and the last conflict is thrown. Stores
 * refuse a write whose record changed since it was read ({@link RecordConflict}), so an attempt must
 * read what it writes.
 */
public final class OnConflict {
    private OnConflict() {
    }

    /** Runs {@code attempt} until it returns without a conflict, at most {@code tries} times. */
    public static <T> T retry(int tries, Supplier<T> attempt) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be at least 1");
        }
        for (int tried = 1; ; tried++) {
            try {
                return attempt.get();
            } catch (RecordConflict e) {
                if (tried >= tries) {
                    throw e;
                }
            }
        }
    }
}
