package dev.agentchat.adapter.tools.knowledge;

import dev.agentchat.domain.Require;

/**
 * The text under one heading of an article: what the search ranks and returns.
 *
 * @param article the article's title (its first level-1 heading)
 * @param heading the section's heading; the article's title for the text before the first subheading
 * @param source  the article's file name under {@code knowledge/}
 */
record Section(String article, String heading, String source, String text) {
    Section {
        Require.nonBlank(article, "article");
        Require.nonBlank(heading, "heading");
        Require.nonBlank(source, "source");
        Require.nonBlank(text, "text");
    }

    /** "Article › Heading", or the article's title alone for its introduction. */
    String title() {
        return heading.equals(article) ? article : article + " › " + heading;
    }
}
