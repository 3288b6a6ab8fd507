package dev.agentchat.bench;

import java.util.Arrays;

/** Measurements in nanoseconds, added from many threads, read as percentiles. */
final class Samples {
    /** Small at first: the capacity runs keep one per stream, ten thousand of them. */
    private long[] values = new long[64];
    private int size;

    synchronized void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    synchronized void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    synchronized int count() {
        return size;
    }

    /** The value below which {@code percent} of the samples lie, in microseconds. */
    synchronized double percentileMicros(double percent) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int index = (int) Math.min(size - 1, Math.max(0, Math.ceil(percent / 100.0 * size) - 1));
        return sorted[index] / 1_000.0;
    }
}
