package dev.agentchat.adapter.tools.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.adapter.tools.Arguments;
import dev.agentchat.adapter.tools.Tool;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import java.util.LinkedHashMap;
import java.util.Map;

/** Finds the sections of the support knowledge base that best match a description of a problem. */
public final class KnowledgeSearch implements Tool {
    static final int DEFAULT_LIMIT = 3;
    static final int MAX_LIMIT = 10;
    static final int MAX_QUERY_LENGTH = 500;
    /** Enough for a section's steps; longer sections are cut at a word, and the model can search again. */
    static final int MAX_EXCERPT_LENGTH = 1_500;

    private static final ToolDefinition DEFINITION = new ToolDefinition(
            "search_knowledge_base",
            "Searches the support knowledge base of the cloud hosting service (networking, sign-in and MFA, billing, "
                    + "websites returning 502/503, DNS, disks and performance, backups, severity and escalation) and "
                    + "returns the best-matching sections with their steps. Describe the customer's problem in a few "
                    + "plain words; search before answering a support question and cite the article you used.",
            """
            {
              "type": "object",
              "properties": {
                "query": {
                  "type": "string",
                  "description": "The problem in a few words, e.g. \\"vm cannot reach the internet\\"; at most %d characters.",
                  "maxLength": %d
                },
                "limit": {
                  "type": "integer",
                  "description": "How many sections to return, %d to %d; %d when left out.",
                  "minimum": %d,
                  "maximum": %d
                }
              },
              "required": ["query"],
              "additionalProperties": false
            }
            """.formatted(MAX_QUERY_LENGTH, MAX_QUERY_LENGTH, 1, MAX_LIMIT, DEFAULT_LIMIT, 1, MAX_LIMIT));

    private final KnowledgeBase knowledgeBase;
    private final Bm25Index index;

    KnowledgeSearch(KnowledgeBase knowledgeBase) {
        this.knowledgeBase = knowledgeBase;
        this.index = new Bm25Index(knowledgeBase.sections());
    }

    /** A search over the articles shipped in this module under {@code knowledge/}, read and indexed now. */
    public static KnowledgeSearch overShippedArticles() {
        return new KnowledgeSearch(KnowledgeBase.fromResources(KnowledgeBase.SHIPPED));
    }

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolProgress progress) {
        String query = Arguments.requiredString(arguments, "query");
        int limit = Arguments.optionalInt(arguments, "limit", 1, MAX_LIMIT).orElse(DEFAULT_LIMIT);
        if (query.isBlank()) {
            return new ToolOutcome.Failed("query: must not be blank; describe the problem in a few words");
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            return new ToolOutcome.Failed("query: at most " + MAX_QUERY_LENGTH + " characters, was " + query.length()
                    + "; describe the problem in a few words");
        }
        Map<String, String> wordOfTerm = new LinkedHashMap<>();
        Terms.words(query).forEach(word -> wordOfTerm.putIfAbsent(Terms.stem(word), word));
        if (wordOfTerm.isEmpty()) {
            return new ToolOutcome.Failed("query: '" + query + "' has no words to search for, only common ones; name the symptom or the product");
        }

        Bm25Index.Ranking ranking;
        try {
            ranking = index.rank(wordOfTerm.keySet(), limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // keep the caller's request to stop visible to it
            return new ToolOutcome.Failed("interrupted");
        }
        progress.report("searched " + knowledgeBase.articles().size() + " articles (" + index.size() + " sections): "
                + ranking.matching() + (ranking.matching() == 1 ? " section matches" : " sections match"));
        if (ranking.best().isEmpty()) {
            return new ToolOutcome.Failed("no article in the knowledge base matches '" + query
                    + "'; try other words for the symptom, or escalate if the issue is new");
        }
        return new ToolOutcome.Succeeded(resultOf(query, ranking, wordOfTerm).toString());
    }

    private static ObjectNode resultOf(String query, Bm25Index.Ranking ranking, Map<String, String> wordOfTerm) {
        ObjectNode result = JsonNodeFactory.instance.objectNode().put("query", query);
        ArrayNode results = result.putArray("results");
        for (Bm25Index.Hit hit : ranking.best()) {
            ObjectNode found = results.addObject()
                    .put("title", hit.section().title())
                    .put("source", hit.section().source())
                    .put("score", Math.round(hit.score() * 100) / 100.0);
            ArrayNode matched = found.putArray("matched_words");
            hit.matchedTerms().forEach(term -> matched.add(wordOfTerm.get(term)));
            found.put("excerpt", excerptOf(hit.section().text()));
        }
        return result;
    }

    /** The text, cut at the last space before the limit when longer. */
    static String excerptOf(String text) {
        if (text.length() <= MAX_EXCERPT_LENGTH) {
            return text;
        }
        int cut = text.lastIndexOf(' ', MAX_EXCERPT_LENGTH - 1);
        return text.substring(0, cut > 0 ? cut : MAX_EXCERPT_LENGTH - 1).stripTrailing() + " …";
    }
}
