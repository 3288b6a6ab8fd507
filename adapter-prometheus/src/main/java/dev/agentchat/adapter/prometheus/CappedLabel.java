package dev.agentchat.adapter.prometheus;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values one label may take: the first {@code cap} distinct ones as they are, any later new one as
 * {@link #OTHER}. Agents, tools, models and routes are few, but each new value of a label is a new series
 * kept for the life of the process, so a misconfiguration or a caller naming things must not grow them
 * without end.
 */
final class CappedLabel {
    /** What a value past the cap is counted as. */
    static final String OTHER = "other";
    /** An attribute that does not apply: Prometheus takes a label with an empty value as no label. */
    static final String ABSENT = "";

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final int cap;

    CappedLabel(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("a label must be allowed at least one value, was " + cap);
        }
        this.cap = cap;
    }

    /** {@code value}, or {@link #OTHER} once the label has taken {@code cap} other values. */
    String valueOf(String value) {
        if (value.isEmpty() || seen.contains(value)) {
            return value;
        }
        // Only a value not seen yet takes the lock, so that two threads cannot both take the last place.
        synchronized (seen) {
            if (seen.size() < cap) {
                seen.add(value);
                return value;
            }
        }
        return seen.contains(value) ? value : OTHER;
    }
}
