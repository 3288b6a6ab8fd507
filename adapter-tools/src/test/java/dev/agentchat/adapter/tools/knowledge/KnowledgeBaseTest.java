package dev.agentchat.adapter.tools.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KnowledgeBaseTest {
    /** The module's own resources folder: tests run with the module as the working directory. */
    private static final Path SHIPPED_FOLDER = Path.of("src/main/resources/knowledge");

    @Test
    void the_shipped_knowledge_base_has_every_article_of_its_folder() throws IOException {
        // given
        List<String> files;
        try (Stream<Path> paths = Files.list(SHIPPED_FOLDER)) {
            files = paths.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".md")).toList();
        }

        // when
        KnowledgeBase shipped = KnowledgeBase.fromResources(KnowledgeBase.SHIPPED);

        // then: an article left out of index.txt would never be found
        assertThat(shipped.articles()).extracting(Article::source).containsExactlyInAnyOrderElementsOf(files);
        assertThat(shipped.articles()).hasSizeBetween(6, 8);
    }

    @Test
    void every_shipped_article_has_a_title_and_several_sections() {
        assertThat(KnowledgeBase.fromResources(KnowledgeBase.SHIPPED).articles()).allSatisfy(article -> {
            assertThat(article.title()).as(article.source()).isNotBlank().doesNotEndWith(".md");
            assertThat(article.sections()).as(article.source()).hasSizeGreaterThanOrEqualTo(4);
        });
    }

    @Test
    void a_missing_folder_is_refused_at_once() {
        assertThatThrownBy(() -> KnowledgeBase.fromResources("no-such-folder"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-folder/index.txt");
    }

    @Test
    void an_article_is_split_at_its_headings() {
        // given
        String markdown = """
                # Disk full

                Intro text.

                ## Find what fills it
                Run `du`.

                ### Docker
                Prune images.
                """;

        // when
        Article article = Article.parse("disk.md", markdown);

        // then
        assertThat(article.title()).isEqualTo("Disk full");
        assertThat(article.sections()).containsExactly(
                new Section("Disk full", "Disk full", "disk.md", "Intro text."),
                new Section("Disk full", "Find what fills it", "disk.md", "Run `du`."),
                new Section("Disk full", "Docker", "disk.md", "Prune images."));
        assertThat(article.sections().get(0).title()).isEqualTo("Disk full");
        assertThat(article.sections().get(1).title()).isEqualTo("Disk full › Find what fills it");
    }

    @Test
    void a_hash_inside_a_code_block_is_no_heading() {
        // given
        String markdown = """
                # Shell
                ## Comments
                ```
                # this is a comment
                echo hi
                ```
                """;

        // when
        Article article = Article.parse("shell.md", markdown);

        // then
        assertThat(article.sections()).singleElement().satisfies(section -> {
            assertThat(section.heading()).isEqualTo("Comments");
            assertThat(section.text()).contains("# this is a comment");
        });
    }

    @Test
    void an_article_without_a_title_is_named_for_its_file_and_empty_sections_are_dropped() {
        // when
        Article article = Article.parse("notes.md", "Loose text\n\n\n\nmore   \n## Empty\n\n## Full ##\nText\n");

        // then
        assertThat(article.title()).isEqualTo("notes");
        assertThat(article.sections()).extracting(Section::heading).containsExactly("notes", "Full");
        assertThat(article.sections().getFirst().text()).isEqualTo("Loose text\n\nmore");
    }
}
