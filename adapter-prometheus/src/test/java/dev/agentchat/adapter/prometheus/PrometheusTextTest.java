package dev.agentchat.adapter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test's reader of the text format refuses what a Prometheus server would, so that a scrape it reads is one. */
class PrometheusTextTest {
    private static final String HISTOGRAM = """
            # HELP latency_seconds How long, in "seconds".\\nTwo lines.
            # TYPE latency_seconds histogram
            latency_seconds_bucket{route="/a",le="0.1"} 1
            latency_seconds_bucket{route="/a",le="1.0"} 3
            latency_seconds_bucket{route="/a",le="+Inf"} 3
            latency_seconds_count{route="/a"} 3
            latency_seconds_sum{route="/a"} 1.25
            """;

    @Test
    void a_well_formed_scrape_is_read_with_its_help_type_labels_and_values() {
        Map<String, PrometheusText.Family> families = PrometheusText.parse(HISTOGRAM + """
                # TYPE runs_total counter
                runs_total{agent="say \\"hi\\"\\\\ and\\nleave",status="completed",} 2.0 1700000000000
                """);

        assertThat(families.get("latency_seconds").help()).isEqualTo("How long, in \"seconds\".\nTwo lines.");
        assertThat(families.get("latency_seconds").samples()).hasSize(5);
        assertThat(families.get("runs_total").samples()).singleElement().satisfies(sample -> {
            assertThat(sample.labels()).containsEntry("agent", "say \"hi\"\\ and\nleave");
            assertThat(sample.value()).isEqualTo(2.0);
        });
    }

    @Test
    void a_sample_without_a_type_declared_before_it_is_refused() {
        assertRefused("runs_total 1\n# TYPE runs_total counter\n", "no TYPE");
    }

    @Test
    void a_series_written_twice_is_refused() {
        assertRefused("# TYPE up gauge\nup{a=\"1\",b=\"2\"} 1\nup{b=\"2\",a=\"1\"} 1\n", "a second sample");
    }

    @Test
    void a_family_whose_lines_are_not_together_is_refused() {
        assertRefused("# TYPE up gauge\nup{a=\"1\"} 1\n# TYPE down gauge\ndown 1\nup{a=\"2\"} 1\n", "not together");
    }

    @Test
    void buckets_that_are_not_cumulative_or_whose_infinity_is_not_the_count_are_refused() {
        assertRefused(HISTOGRAM.replace("le=\"1.0\"} 3", "le=\"1.0\"} 0"), "not cumulative");
        assertRefused(HISTOGRAM.replace("latency_seconds_count{route=\"/a\"} 3", "latency_seconds_count{route=\"/a\"} 4"),
                "not the count");
        assertRefused(HISTOGRAM.replace("latency_seconds_sum{route=\"/a\"} 1.25\n", ""), "_sum and _count");
    }

    @Test
    void malformed_names_escapes_values_and_endings_are_refused() {
        assertRefused("# TYPE up gauge\nup{a=\"\\t\"} 1\n", "unknown escape");
        assertRefused("# TYPE up gauge\nup{a=\"1\",a=\"2\"} 1\n", "twice");
        assertRefused("# TYPE up gauge\nup{1a=\"1\"} 1\n", "not a label name");
        assertRefused("# TYPE up gauge\nup one\n", "not a value");
        assertRefused("# TYPE up-time gauge\n", "not a metric name");
        assertRefused("# TYPE up gauge\nup 1", "line feed");
        assertRefused("# TYPE up meter\n", "unknown type");
    }

    private static void assertRefused(String text, String why) {
        assertThatThrownBy(() -> PrometheusText.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }
}
