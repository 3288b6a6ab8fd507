package dev.agentchat.adapter.prometheus;

import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;

/** The HTTP requests the service answers, as OpenTelemetry's HTTP conventions name them: {@code http.server.request.duration}. */
final class HttpMeters {
    static final String REQUEST_DURATION = "http.server.request.duration";

    /** The HTTP conventions' buckets, in seconds. */
    private static final double[] SECONDS_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5,
            7.5, 10};
    /**
     * The methods the conventions call known (RFC 9110's, PATCH and QUERY); any other is {@code _OTHER}, since
     * a client may send any token as a method.
     */
    private static final Set<String> KNOWN_METHODS = Set.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH",
            "POST", "PUT", "TRACE", "QUERY");

    private final MeterRegistry registry;
    private final Labels labels;

    HttpMeters(MeterRegistry registry, Labels labels) {
        this.registry = registry;
        this.labels = labels;
    }

    /**
     * A request answered ({@link Outcome.Responded}: its status and route template, none when no route took
     * it), or given up without an answer (any other outcome: no status).
     */
    void ended(Work.HttpRequest request, Outcome outcome, Measured.Took took) {
        // Methods are case-sensitive: "get" is not GET.
        String method = request.method();
        String route = CappedLabel.ABSENT;
        String status = CappedLabel.ABSENT;
        if (outcome instanceof Outcome.Responded responded) {
            route = responded.route().orElse(CappedLabel.ABSENT);
            status = Integer.toString(responded.status());
        }
        Timer.builder(REQUEST_DURATION).description("Duration of HTTP server requests.")
                .tags(labels.of(Labels.HTTP_METHOD, KNOWN_METHODS.contains(method) ? method : "_OTHER",
                        Labels.HTTP_ROUTE, route, Labels.HTTP_STATUS, status, Labels.ERROR_TYPE, ErrorType.of(outcome)))
                .serviceLevelObjectives(Durations.ofSeconds(SECONDS_BUCKETS)).register(registry)
                .record(took.total());
    }
}
