package dev.agentchat.adapter.tools.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How text becomes search terms: lower-cased words of letters and digits, without common English words,
 * cut to a rough stem by a few suffix rules (a much-reduced Porter step 1), so that "charged", "charges" and
 * "charge" all become "charg". Crude on purpose: a reader can predict every term, and the same rules run over
 * the articles and the query, so a consistent mis-stem still matches.
 */
final class Terms {
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been",
            "but", "by", "can", "could", "did", "do", "does", "for", "from", "get", "got", "had", "has", "have", "he",
            "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "my", "no", "not", "of", "on",
            "or", "our", "she", "should", "so", "some", "than", "that", "the", "their", "them", "then", "there", "these",
            "they", "this", "those", "to", "too", "us", "very", "was", "we", "were", "what", "when", "where", "which",
            "while", "who", "why", "will", "with", "would", "you", "your");

    private Terms() {
    }

    /** The words of {@code text} worth searching for, lower-cased, in order; not yet stemmed. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (word.length() >= 2 && !STOP_WORDS.contains(word)) {
                words.add(word);
            }
        }
        return words;
    }

    /** The search terms of {@code text}: its {@link #words} stemmed. */
    static List<String> of(String text) {
        return words(text).stream().map(Terms::stem).toList();
    }

    /** The first rule that fits and leaves a stem of at least three letters (two for a plural 's') wins. */
    static String stem(String word) {
        if (word.endsWith("ies") || word.endsWith("ied")) {
            return word.length() > 4 ? word.substring(0, word.length() - 3) + "y" : word;
        }
        if (word.endsWith("ing") && word.length() >= 6) {
            return undoubled(word.substring(0, word.length() - 3));
        }
        if (word.endsWith("ed") && !word.endsWith("eed") && word.length() >= 5) {
            return undoubled(word.substring(0, word.length() - 2));
        }
        if (word.endsWith("es") && word.length() >= 5) {
            return word.substring(0, word.length() - 2);
        }
        if (word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us") && !word.endsWith("is") && word.length() >= 3) {
            return word.substring(0, word.length() - 1);
        }
        if (word.endsWith("e") && word.length() >= 4) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }

    /** "stopp" -> "stop", "runn" -> "run"; but "bill", "miss", "buzz" and short stems such as "add" keep their double letter. */
    private static String undoubled(String stem) {
        int n = stem.length();
        if (n >= 4 && stem.charAt(n - 1) == stem.charAt(n - 2) && "lsz".indexOf(stem.charAt(n - 1)) < 0
                && Character.isLetter(stem.charAt(n - 1)) && "aeiou".indexOf(stem.charAt(n - 1)) < 0) {
            return stem.substring(0, n - 1);
        }
        return stem;
    }
}
