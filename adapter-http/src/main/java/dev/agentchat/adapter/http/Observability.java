package dev.agentchat.adapter.http;

import dev.agentchat.ports.health.CheckReadiness;
import dev.agentchat.ports.health.Readiness;
import dev.agentchat.ports.telemetry.ReadMetrics;
import dev.agentchat.ports.telemetry.Telemetry;
import java.util.Objects;
import java.util.Optional;

/**
 * How the API is watched: the telemetry told of every request and event stream, the metrics {@code /metrics}
 * serves (none: no such path), and the readiness {@code /health/ready} reports.
 */
public record Observability(Telemetry telemetry, Optional<ReadMetrics> metrics, CheckReadiness readiness) {
    public Observability {
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(readiness, "readiness");
    }

    /** Nothing watches, no metrics are served, and the service is always ready. */
    public static Observability none() {
        return new Observability(Telemetry.OFF, Optional.empty(), () -> Readiness.READY);
    }

    /** This, with the requests and streams told to {@code watching}. */
    public Observability withTelemetry(Telemetry watching) {
        return new Observability(watching, metrics, readiness);
    }

    /** This, with {@code /metrics} serving {@code read}. */
    public Observability withMetrics(ReadMetrics read) {
        return new Observability(telemetry, Optional.of(read), readiness);
    }

    /** This, with {@code /health/ready} as {@code check} says. */
    public Observability withReadiness(CheckReadiness check) {
        return new Observability(telemetry, metrics, check);
    }
}
