package dev.agentchat.adapter.tools.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.adapter.tools.BuiltInTools;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The search as the model uses it: JSON arguments in, ranked sections of the shipped articles out. */
class KnowledgeSearchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BuiltInTools TOOLS = BuiltInTools.only(Clock.systemUTC(), List.of("search_knowledge_base"));

    private final List<String> progress = new ArrayList<>();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @ParameterizedTest(name = "\"{0}\" finds {1}")
    @CsvSource(delimiter = '|', textBlock = """
            my vm has no internet access                                  | vm-cannot-reach-the-internet.md
            server can't reach the internet after a firewall change       | vm-cannot-reach-the-internet.md
            charged twice this month                                      | billing-unexpected-charges.md
            why is my invoice so much higher than last month              | billing-unexpected-charges.md
            website shows 502 bad gateway                                 | website-returns-502-or-503.md
            load balancer says service unavailable                        | website-returns-502-or-503.md
            lost my phone with the authenticator app and cannot log in    | password-reset-and-mfa-lockout.md
            account locked after too many failed sign-ins                 | password-reset-and-mfa-lockout.md
            changed nameservers but the domain still shows the old site   | dns-changes-not-taking-effect.md
            disk is full and the server is very slow                      | disk-full-and-degraded-performance.md
            restore a deleted file from last night's backup               | backup-and-restore.md
            production is down for all our customers, who do I page?     | severity-levels-and-escalation.md
            """)
    void a_realistic_question_finds_the_right_article_first(String query, String article) {
        // when
        JsonNode results = resultsOf(search("{\"query\": " + JSON.valueToTree(query) + "}"));

        // then
        assertThat(results.get(0).get("source").asText()).isEqualTo(article);
    }

    @Test
    void a_result_names_its_section_and_source_and_quotes_its_steps() {
        // when
        JsonNode best = resultsOf(search("{\"query\": \"charged twice this month\"}")).get(0);

        // then
        assertThat(best.get("title").asText()).isEqualTo("Billing: unexpected charges › Charged twice this month");
        assertThat(best.get("source").asText()).isEqualTo("billing-unexpected-charges.md");
        assertThat(best.get("excerpt").asText()).contains("authorisation hold").contains("Refund");
        assertThat(best.get("matched_words")).extracting(JsonNode::asText).containsExactly("charged", "twice", "month");
        assertThat(best.get("score").isNumber()).isTrue();
    }

    @Test
    void results_come_best_first() {
        // when
        JsonNode results = resultsOf(search("{\"query\": \"my vm has no internet access\", \"limit\": 10}"));

        // then
        List<Double> scores = new ArrayList<>();
        results.forEach(result -> scores.add(result.get("score").asDouble()));
        assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void three_sections_come_back_unless_a_limit_is_given() {
        assertThat(resultsOf(search("{\"query\": \"vm internet\"}"))).hasSize(3);
        assertThat(resultsOf(search("{\"query\": \"vm internet\", \"limit\": 1}"))).hasSize(1);
        assertThat(resultsOf(search("{\"query\": \"vm internet\", \"limit\": 5}"))).hasSize(5);
        assertThat(resultsOf(search("{\"query\": \"vm internet\", \"limit\": null}"))).hasSize(3);
    }

    @Test
    void fewer_sections_come_back_when_fewer_match() {
        assertThat(resultsOf(search("{\"query\": \"chargeback\", \"limit\": 10}"))).hasSize(1);
    }

    @Test
    void the_search_reports_how_much_it_searched() {
        // when
        search("{\"query\": \"charged twice this month\"}");

        // then
        assertThat(progress).singleElement().asString().startsWith("searched 8 articles (").contains("sections match");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"query\": \"\"}", "{\"query\": \"   \"}", "{\"query\": \"\\n\\t\"}"})
    void a_blank_query_fails(String arguments) {
        assertThat(failureOf(search(arguments))).startsWith("query: must not be blank");
    }

    @Test
    void a_query_of_only_common_words_fails() {
        assertThat(failureOf(search("{\"query\": \"what is the\"}"))).contains("no words to search for");
    }

    @Test
    void a_query_that_matches_nothing_fails_and_says_so() {
        // when
        String failure = failureOf(search("{\"query\": \"xylophone zebra\"}"));

        // then
        assertThat(failure).contains("no article in the knowledge base matches 'xylophone zebra'");
        assertThat(progress).singleElement().asString().endsWith(": 0 sections match");
    }

    @Test
    void a_missing_query_fails() {
        assertThat(failureOf(search("{\"limit\": 2}"))).isEqualTo("arguments: 'query' is required");
    }

    @Test
    void a_query_over_the_length_limit_fails() {
        assertThat(failureOf(search("{\"query\": \"" + "vm ".repeat(200) + "\"}"))).startsWith("query: at most 500 characters");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0       | 'limit' must be between 1 and 10, was 0
            11      | 'limit' must be between 1 and 10, was 11
            2.5     | 'limit' must be a whole number, was a number (2.5)
            "three" | 'limit' must be a whole number, was a string ("three")
            """)
    void a_limit_out_of_range_or_not_a_whole_number_fails(String limit, String message) {
        assertThat(failureOf(search("{\"query\": \"vm\", \"limit\": " + limit + "}"))).isEqualTo("arguments: " + message);
    }

    @Test
    void a_limit_written_with_a_zero_fraction_is_a_whole_number() {
        assertThat(resultsOf(search("{\"query\": \"vm internet\", \"limit\": 2.0}"))).hasSize(2);
    }

    @Test
    void a_search_on_an_interrupted_thread_stops_and_keeps_the_interrupt() {
        // given
        KnowledgeSearch search = KnowledgeSearch.overShippedArticles();
        Thread.currentThread().interrupt();

        // when
        ToolOutcome outcome = search.run(JSON.createObjectNode().put("query", "vm internet"), progress::add);

        // then
        assertThat(outcome).isEqualTo(new ToolOutcome.Failed("interrupted"));
        assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag").isTrue();
        assertThat(progress).isEmpty();
    }

    @Test
    void a_long_section_is_cut_at_a_word_with_a_mark() {
        // given
        String text = "word ".repeat(1_000);

        // when
        String excerpt = KnowledgeSearch.excerptOf(text);

        // then
        assertThat(excerpt).hasSizeLessThanOrEqualTo(KnowledgeSearch.MAX_EXCERPT_LENGTH + 2).endsWith("word …");
        assertThat(KnowledgeSearch.excerptOf("short")).isEqualTo("short");
    }

    private ToolOutcome search(String arguments) {
        return TOOLS.execute(new ToolInvocation("search_knowledge_base", arguments), progress::add);
    }

    private static JsonNode resultsOf(ToolOutcome outcome) {
        assertThat(outcome).isInstanceOf(ToolOutcome.Succeeded.class);
        try {
            JsonNode results = JSON.readTree(((ToolOutcome.Succeeded) outcome).output()).get("results");
            assertThat(results.isArray()).isTrue();
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String failureOf(ToolOutcome outcome) {
        assertThat(outcome).isInstanceOf(ToolOutcome.Failed.class);
        return ((ToolOutcome.Failed) outcome).error();
    }
}
