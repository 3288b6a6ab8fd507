package dev.agentchat.ports.telemetry;

import java.util.Objects;

/** Use case: a metrics scraper (Prometheus) reads the service's metrics as they stand now. */
public interface ReadMetrics {

    /** The metrics in the text format a Prometheus server scrapes. */
    Exposition scrape();

    /** What a scrape answers: the body and its content type. */
    record Exposition(String contentType, byte[] body) {
        public Exposition {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }
    }
}
