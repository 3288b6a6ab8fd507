package dev.agentchat.adapter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.ports.telemetry.ReadMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One scrape, read by the strict {@link PrometheusText} reader, and the samples a test asks of it. */
record Scrape(Map<String, PrometheusText.Family> families) {

    /** What {@code metrics} answers now, which must be the Prometheus text format 0.0.4 through and through. */
    static Scrape of(ReadMetrics metrics) {
        ReadMetrics.Exposition exposition = metrics.scrape();
        assertThat(exposition.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        return new Scrape(PrometheusText.parse(new String(exposition.body(), StandardCharsets.UTF_8)));
    }

    /** Every sample named {@code name} (a family's own name, or a histogram's {@code _bucket}, {@code _sum}, {@code _count}). */
    List<PrometheusText.Sample> samples(String name) {
        return families.values().stream().flatMap(family -> family.samples().stream())
                .filter(sample -> sample.name().equals(name)).toList();
    }

    /** The samples named {@code name} whose labels include all of {@code labels}. */
    List<PrometheusText.Sample> samples(String name, Map<String, String> labels) {
        return samples(name).stream().filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    /** The sum of the samples named {@code name} whose labels include all of {@code labels}; 0 when none. */
    double sum(String name, Map<String, String> labels) {
        return samples(name, labels).stream().mapToDouble(PrometheusText.Sample::value).sum();
    }

    /** The value of the one series named {@code name} with exactly {@code labels}. */
    double value(String name, Map<String, String> labels) {
        List<PrometheusText.Sample> matching = samples(name).stream().filter(sample -> sample.labels().equals(labels))
                .toList();
        assertThat(matching).as("the series %s%s among %s", name, labels, samples(name)).hasSize(1);
        return matching.getFirst().value();
    }

    /** The type of the family {@code name}, as its {@code # TYPE} line says. */
    String type(String name) {
        assertThat(families).as("the metric families").containsKey(name);
        return families.get(name).type();
    }
}
