package dev.agentchat.ports.telemetry;

/**
 * One piece of work being watched, from its {@link Telemetry#begin} to its {@link #end}. Ended once, by
 * whoever began it; the other methods may be called from any thread until then.
 */
public interface Observation {

    /** Nothing watched: every method does nothing. */
    Observation NONE = new Observation() {
    };

    /**
     * Makes this the current observation on this thread until the returned scope is closed, on this thread:
     * what is begun meanwhile without a parent is begun within it, and log lines carry its ids.
     */
    default Scope makeCurrent() {
        return Scope.NONE;
    }

    /**
     * The model's answer began to arrive: its first streamed chunk (a role, a text, the start of a tool call). For a
     * model call, its time to first chunk, as the conventions name it: what a user waits before anything happens.
     */
    default void firstChunk() {
    }

    /** {@code other} took part in this work from elsewhere: a client that followed a run from another request. */
    default void link(Observation other) {
    }

    /** The work ended so. */
    default void end(Outcome outcome) {
    }

    /** The time an observation is current on a thread. */
    @FunctionalInterface
    interface Scope extends AutoCloseable {
        Scope NONE = () -> {
        };

        /** Makes current again what was before; throws nothing. */
        @Override
        void close();
    }
}
