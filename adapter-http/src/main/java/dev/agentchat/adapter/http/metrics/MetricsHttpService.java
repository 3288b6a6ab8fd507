package dev.agentchat.adapter.http.metrics;

import dev.agentchat.adapter.http.problem.Problems;
import dev.agentchat.ports.telemetry.ReadMetrics;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.Objects;

/**
 * {@code GET /metrics}: the service's metrics as a Prometheus server scrapes them. Like {@code /health}, it needs
 * no credential: a scraper is configured with none, and what it reads are counts and durations by bounded labels
 * (agent, model, route, status), never a conversation. They still tell an outsider how busy the service is and
 * which agents and models it serves, so an operator keeps the path off the public edge (the ingress or load
 * balancer routes only {@code /api}, {@code /auth} and the UI's paths outside).
 */
public final class MetricsHttpService implements HttpService {
    private final ReadMetrics readMetrics;

    public MetricsHttpService(ReadMetrics readMetrics) {
        this.readMetrics = Objects.requireNonNull(readMetrics, "readMetrics");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> {
            ReadMetrics.Exposition exposition = readMetrics.scrape();
            res.header(HeaderNames.CONTENT_TYPE, exposition.contentType());
            // Each scrape reads the counts as they stand: a cache between scraper and service would repeat old ones.
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(exposition.body());
        }).any("/", (req, res) -> Problems.methodNotAllowed(res, "GET"));
    }
}
