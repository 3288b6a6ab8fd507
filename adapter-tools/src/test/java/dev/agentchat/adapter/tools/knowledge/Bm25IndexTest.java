package dev.agentchat.adapter.tools.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Bm25IndexTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void a_rare_term_outweighs_a_common_one() throws InterruptedException {
        // given: "server" is in every section, "certificate" in one
        Section common = section("Servers", "server server server restarts");
        Section rare = section("Certificates", "server certificate expired");
        Section other = section("Other", "server memory");
        Bm25Index index = new Bm25Index(List.of(common, other, rare));

        // when
        Bm25Index.Ranking ranking = index.rank(Terms.of("server certificate"), 3);

        // then
        assertThat(ranking.best()).extracting(Bm25Index.Hit::section).startsWith(rare);
        assertThat(ranking.matching()).isEqualTo(3);
    }

    @Test
    void a_term_in_the_heading_counts_more_than_in_the_body() throws InterruptedException {
        // given: both sections the same length
        Section inHeading = section("Backups", "how to keep copies safely");
        Section inBody = section("Copies", "how to keep backups safely");
        Bm25Index index = new Bm25Index(List.of(inBody, inHeading));

        // when / then
        assertThat(index.rank(Terms.of("backup"), 2).best()).extracting(Bm25Index.Hit::section).containsExactly(inHeading, inBody);
    }

    @Test
    void equal_scores_keep_the_articles_order() throws InterruptedException {
        // given
        Section first = section("One", "dns record");
        Section second = section("Two", "dns record");
        Bm25Index index = new Bm25Index(List.of(first, second));

        // when / then
        assertThat(index.rank(Terms.of("dns"), 2).best()).extracting(Bm25Index.Hit::section).containsExactly(first, second);
    }

    @Test
    void sections_without_any_query_term_are_left_out() throws InterruptedException {
        // given
        Bm25Index index = new Bm25Index(List.of(section("A", "alpha"), section("B", "beta")));

        // when
        Bm25Index.Ranking ranking = index.rank(Terms.of("gamma"), 5);

        // then
        assertThat(ranking.best()).isEmpty();
        assertThat(ranking.matching()).isZero();
    }

    @Test
    void a_ranking_on_an_interrupted_thread_stops() {
        // given
        Bm25Index index = new Bm25Index(List.of(section("A", "alpha")));
        Thread.currentThread().interrupt();

        // when / then
        assertThatThrownBy(() -> index.rank(Terms.of("alpha"), 1)).isInstanceOf(InterruptedException.class);
    }

    private static Section section(String heading, String text) {
        return new Section("Article", heading, "article.md", text);
    }
}
