package dev.agentchat.bootstrap;

import dev.agentchat.adapter.opentelemetry.OpenTelemetryTracing;
import dev.agentchat.adapter.prometheus.PrometheusMetrics;
import dev.agentchat.bootstrap.logging.LogContext;
import dev.agentchat.bootstrap.logging.LogFormat;
import dev.agentchat.bootstrap.logging.TraceIds;
import dev.agentchat.ports.telemetry.ReadMetrics;
import dev.agentchat.ports.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What watches the service, as the settings say: metrics always (served at {@code /metrics}), traces when an
 * OpenTelemetry exporter endpoint is configured ({@code OTEL_*}), and, with {@code LOG_FORMAT=json}, the run and
 * trace ids each log line carries. One {@link #telemetry()} tells all of them of the work.
 */
public final class ServiceTelemetry implements AutoCloseable {
    private final PrometheusMetrics metrics;
    private final Optional<OpenTelemetryTracing> tracing;
    private final LogContext logs;
    private final Telemetry telemetry;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ServiceTelemetry(PrometheusMetrics metrics, Optional<OpenTelemetryTracing> tracing, LogContext logs,
                             boolean logsCarryIds) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.logs = logs;
        List<Telemetry> parts = new ArrayList<>();
        tracing.ifPresent(parts::add);
        parts.add(metrics);
        if (logsCarryIds) {
            // Only JSON lines show the ids of the work in scope: with text, nothing need keep them.
            parts.add(logs);
        }
        this.telemetry = Telemetry.of(parts);
    }

    /**
     * The telemetry the settings ask for.
     *
     * @throws Settings.InvalidSettings when an {@code OTEL_*} setting cannot be used; it is named
     */
    public static ServiceTelemetry from(Settings settings) {
        Optional<OpenTelemetryTracing> tracing;
        try {
            tracing = OpenTelemetryTracing.fromEnvironment(settings.values().asMap());
        } catch (IllegalArgumentException e) {
            throw new Settings.InvalidSettings(e.getMessage());
        }
        LogContext logs = new LogContext(() -> tracing.flatMap(OpenTelemetryTracing::currentIds)
                .map(ids -> new TraceIds(ids.traceId(), ids.spanId())));
        return new ServiceTelemetry(new PrometheusMetrics(), tracing, logs, settings.logFormat() == LogFormat.JSON);
    }

    /** Tells every part of the work. */
    public Telemetry telemetry() {
        return telemetry;
    }

    /** The metrics {@code /metrics} serves. */
    public ReadMetrics metrics() {
        return metrics;
    }

    /** The ids JSON log lines carry: those of the run and the span in scope on the thread that logs. */
    public LogContext logs() {
        return logs;
    }

    /** Whether spans are exported. */
    public boolean traces() {
        return tracing.isPresent();
    }

    /** Exports the spans still held (waiting a bounded time), then lets the metrics go. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            tracing.ifPresent(OpenTelemetryTracing::close);
        } finally {
            metrics.close();
        }
    }
}
