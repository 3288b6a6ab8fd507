package dev.agentchat.adapter.tools.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One markdown article, split into sections at its headings (of any level, outside code blocks). */
record Article(String source, String title, List<Section> sections) {
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

    Article {
        sections = List.copyOf(sections);
    }

    /** Splits {@code markdown}: its first level-1 heading is the title (else the file name), every heading starts a section. */
    static Article parse(String source, String markdown) {
        String title = null;
        List<Part> parts = new ArrayList<>();
        String heading = null;
        StringBuilder text = new StringBuilder();
        boolean inCodeBlock = false;
        for (String line : markdown.lines().toList()) {
            if (line.strip().startsWith("```")) {
                inCodeBlock = !inCodeBlock;
            }
            Matcher match = HEADING.matcher(line);
            if (inCodeBlock || !match.matches()) {
                text.append(line).append('\n');
                continue;
            }
            parts.add(new Part(heading, text.toString()));
            text.setLength(0);
            boolean isTitle = title == null && match.group(1).length() == 1;
            if (isTitle) {
                title = match.group(2);
            }
            heading = isTitle ? null : match.group(2);
        }
        parts.add(new Part(heading, text.toString()));

        String articleTitle = title != null && !title.isBlank() ? title : source.replaceFirst("\\.md$", "");
        List<Section> sections = new ArrayList<>();
        for (Part part : parts) {
            String body = tidy(part.text());
            if (!body.isEmpty()) {
                String sectionHeading = part.heading() == null || part.heading().isBlank() ? articleTitle : part.heading();
                sections.add(new Section(articleTitle, sectionHeading, source, body));
            }
        }
        return new Article(source, articleTitle, sections);
    }

    /** The text under one heading; {@code heading} is null for the text before the first subheading. */
    private record Part(String heading, String text) {
    }

    /** Without trailing spaces and runs of blank lines, which only cost the model tokens. */
    private static String tidy(String text) {
        StringBuilder tidied = new StringBuilder();
        boolean previousBlank = true;
        for (String line : text.lines().map(String::stripTrailing).toList()) {
            boolean blank = line.isEmpty();
            if (!(blank && previousBlank)) {
                tidied.append(line).append('\n');
            }
            previousBlank = blank;
        }
        return tidied.toString().strip();
    }
}
