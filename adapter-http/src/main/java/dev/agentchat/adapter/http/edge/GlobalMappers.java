package dev.agentchat.adapter.http.edge;

import io.helidon.common.mapper.MapperManager;

/**
 * Helidon 4.2 finds its global value mapper (behind every header read as a number, every path parameter and
 * query value) through its service registry on each call, unless one was set: that lookup cost about 5% of the
 * CPU of a short turn. Setting it once, before the server first needs it, keeps it in a field. It is built as
 * the registry's would be: the service-loaded providers and Helidon's built-in mappers (booleans, numbers,
 * durations), which a plain {@code MapperManager.create()} leaves out.
 */
public final class GlobalMappers {
    private GlobalMappers() {
    }

    /** Sets the global mapper manager, once per process; later calls change nothing. */
    @SuppressWarnings("removal")   // the global manager is what Helidon 4.2's own header and parameter code reads
    public static synchronized void pin() {
        if (!pinned) {
            MapperManager.global(MapperManager.builder().useBuiltIn(true).build());
            pinned = true;
        }
    }

    private static boolean pinned;
}
