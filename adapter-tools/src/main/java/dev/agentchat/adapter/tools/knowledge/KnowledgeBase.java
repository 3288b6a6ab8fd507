package dev.agentchat.adapter.tools.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The articles the search runs over. Shipped ones are read from the class path through an index file,
 * since a folder inside a jar cannot be listed reliably.
 */
record KnowledgeBase(List<Article> articles) {
    static final String SHIPPED = "knowledge";

    KnowledgeBase {
        articles = List.copyOf(articles);
    }

    /**
     * Reads every article that {@code folder/index.txt} lists (one file name a line; blank lines and lines
     * starting with '#' are skipped).
     *
     * @throws IllegalStateException if the index or a file it lists is missing: the build shipped a broken knowledge base
     */
    static KnowledgeBase fromResources(String folder) {
        List<Article> articles = new ArrayList<>();
        for (String line : read(folder + "/index.txt").lines().toList()) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                articles.add(Article.parse(name, read(folder + "/" + name)));
            }
        }
        return new KnowledgeBase(articles);
    }

    List<Section> sections() {
        return articles.stream().flatMap(article -> article.sections().stream()).toList();
    }

    private static String read(String resource) {
        try (InputStream in = KnowledgeBase.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the knowledge base resource " + resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the knowledge base resource " + resource, e);
        }
    }
}
