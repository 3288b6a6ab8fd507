package dev.agentchat.adapter.tools.knowledge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranks sections with Okapi BM25, the scoring behind most search engines' first pass: a query term counts
 * more the rarer it is among sections (idf) and the more often it occurs in a section, with diminishing
 * returns (k1) and less credit in long sections (b). A section's terms are its body's, its heading's twice
 * (a heading says what the section is about) and its article's title once. Built once, then only read:
 * safe to share between threads.
 */
final class Bm25Index {
    /** The usual defaults (Lucene's, Elasticsearch's); nothing here is tuned to this corpus. */
    private static final double K1 = 1.2;
    private static final double B = 0.75;
    private static final int HEADING_WEIGHT = 2;

    private final List<Section> sections;
    private final List<Map<String, Integer>> termCounts = new ArrayList<>();
    private final int[] lengths;
    private final Map<String, Integer> sectionsWithTerm = new HashMap<>();
    private final double averageLength;

    Bm25Index(List<Section> sections) {
        this.sections = List.copyOf(sections);
        this.lengths = new int[sections.size()];
        long totalLength = 0;
        for (int i = 0; i < sections.size(); i++) {
            List<String> terms = termsOf(sections.get(i));
            Map<String, Integer> counts = new HashMap<>();
            terms.forEach(term -> counts.merge(term, 1, Integer::sum));
            counts.keySet().forEach(term -> sectionsWithTerm.merge(term, 1, Integer::sum));
            termCounts.add(counts);
            lengths[i] = terms.size();
            totalLength += terms.size();
        }
        this.averageLength = sections.isEmpty() ? 1 : Math.max(1, (double) totalLength / sections.size());
    }

    /** A section with its score and the query terms it holds. */
    record Hit(Section section, double score, Set<String> matchedTerms) {
    }

    /** The best {@code limit} hits, best first, and how many sections matched at all. */
    record Ranking(List<Hit> best, int matching) {
    }

    /**
     * Scores every section for {@code queryTerms} (each counted once) and keeps the sections holding any of them.
     * Ties keep the articles' order, so that a ranking is repeatable.
     *
     * @throws InterruptedException when the calling thread is interrupted, which is how a caller's timeout stops a search
     */
    Ranking rank(Collection<String> queryTerms, int limit) throws InterruptedException {
        Set<String> terms = new LinkedHashSet<>(queryTerms);
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("the knowledge search was interrupted");
            }
            double score = 0;
            Set<String> matched = new LinkedHashSet<>();
            for (String term : terms) {
                int count = termCounts.get(i).getOrDefault(term, 0);
                if (count > 0) {
                    matched.add(term);
                    double lengthNorm = 1 - B + B * lengths[i] / averageLength;
                    score += idf(term) * count * (K1 + 1) / (count + K1 * lengthNorm);
                }
            }
            if (!matched.isEmpty()) {
                hits.add(new Hit(sections.get(i), score, matched));
            }
        }
        List<Hit> best = hits.stream()
                .sorted(Comparator.comparingDouble(Hit::score).reversed())
                .limit(limit)
                .toList();
        return new Ranking(best, hits.size());
    }

    int size() {
        return sections.size();
    }

    /** Lucene's form of BM25's idf: never negative, even for a term in most sections. */
    private double idf(String term) {
        int n = sectionsWithTerm.getOrDefault(term, 0);
        return Math.log(1 + (sections.size() - n + 0.5) / (n + 0.5));
    }

    private static List<String> termsOf(Section section) {
        List<String> terms = new ArrayList<>(Terms.of(section.text()));
        for (int i = 0; i < HEADING_WEIGHT; i++) {
            terms.addAll(Terms.of(section.heading()));
        }
        terms.addAll(Terms.of(section.article()));
        return terms;
    }
}
