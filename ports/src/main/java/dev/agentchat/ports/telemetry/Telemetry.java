package dev.agentchat.ports.telemetry;

import java.util.List;

/**
 * Outbound port: what the service tells the tools that watch it (traces, metrics, the ids its log lines
 * carry) about the work it does. The services and adapters {@link #begin} an {@link Observation} for each
 * piece of work and end it with its {@link Outcome}; what is made of it (a span, a histogram, nothing) is
 * the implementation's business, so neither the domain nor this module knows a tracing or metrics library.
 *
 * <p>Implementations return at once and never throw: watching the work must not change it. {@link #OFF}
 * costs a call that does nothing, which is what the per-token path pays when nothing watches.
 */
public interface Telemetry {

    /** Watches nothing. */
    Telemetry OFF = new Telemetry() {
        @Override
        public Observation begin(Work work, Observation parent) {
            return Observation.NONE;
        }

        @Override
        public Observation current() {
            return Observation.NONE;
        }
    };

    /**
     * Begins watching {@code work}, done within {@code parent}: an observation begun earlier (on this thread
     * or another), or {@link Observation#NONE} for whatever is current on this thread.
     */
    Observation begin(Work work, Observation parent);

    /** Begins watching {@code work}, done within what is current on this thread. */
    default Observation begin(Work work) {
        return begin(work, Observation.NONE);
    }

    /**
     * What is current on this thread: to hand to work another thread does on its behalf, as the parent of
     * what it begins there.
     */
    Observation current();

    /** Each of {@code parts} told of all the work: traces and metrics side by side. */
    static Telemetry of(List<Telemetry> parts) {
        List<Telemetry> watching = parts.stream().filter(part -> part != OFF).toList();
        return switch (watching.size()) {
            case 0 -> OFF;
            case 1 -> watching.getFirst();
            default -> new CombinedTelemetry(watching);
        };
    }
}
