package dev.agentchat.adapter.prometheus;

import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runs and the clients that follow them, which OpenTelemetry's conventions have no names for: runs
 * by agent and the status they ended (or paused) in, the runs going on, and the event streams open.
 */
final class RunMeters {
    static final String RUNS = "agentchat.runs";
    static final String ACTIVE_RUNS = "agentchat.runs.active";
    static final String OPEN_STREAMS = "agentchat.event_streams.open";

    private final MeterRegistry registry;
    private final Labels labels;
    /** Micrometer holds a gauge's object weakly: these are what keeps them. */
    private final AtomicLong activeRuns = new AtomicLong();
    private final Map<String, AtomicLong> openStreams = new ConcurrentHashMap<>();

    RunMeters(MeterRegistry registry, Labels labels) {
        this.registry = registry;
        this.labels = labels;
        Gauge.builder(ACTIVE_RUNS, activeRuns, AtomicLong::get)
                .description("Runs this instance is working on: started or resumed, not yet ended or paused.")
                .register(registry);
    }

    void begun(Work.AgentRun run) {
        activeRuns.incrementAndGet();
    }

    /**
     * A run ended or paused: counted by its agent and status as it says ({@code completed}, {@code failed},
     * {@code cancelled}, {@code incomplete}, or {@code requires_action} when it waits for approval). A run
     * resumed after a pause is counted again when it next ends or pauses.
     */
    void ended(Work.AgentRun run, Outcome outcome) {
        activeRuns.decrementAndGet();
        String status = outcome instanceof Outcome.RunEnded ended
                ? ended.run().status().name().toLowerCase(Locale.ROOT)
                : ErrorType.of(outcome).isEmpty() ? "completed" : "failed";
        Counter.builder(RUNS).description("Runs ended or paused, by agent and status.")
                .tags(labels.of(Labels.AGENT, run.agent().id().value(), Labels.RUN_STATUS, status))
                .register(registry).increment();
    }

    /** A stream opened: counted open under its kind until it ends. */
    AtomicLong opened(Work.EventStream stream) {
        String kind = labels.value(Labels.STREAM_KIND, stream.kind());
        AtomicLong open = openStreams.computeIfAbsent(kind, k -> {
            AtomicLong count = new AtomicLong();
            Gauge.builder(OPEN_STREAMS, count, AtomicLong::get).description("Event streams open to clients, by kind.")
                    .tag(Labels.STREAM_KIND, k).register(registry);
            return count;
        });
        open.incrementAndGet();
        return open;
    }
}
