package dev.agentchat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One workload's figures for agentchat and the peer, printed as a Markdown table with the peer's over agentchat's. */
final class SideBySide {
    private final String title;
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    SideBySide(String title) {
        this.title = title;
    }

    /** A figure where less is better (time, CPU, memory, errors): a ratio above 1 is agentchat ahead. */
    SideBySide lessIsBetter(String figure, double agentchat, double peer, String format) {
        return row(figure + " (less is better)", agentchat, peer, format);
    }

    /** A figure where more is better (turns a second): a ratio below 1 is agentchat ahead. */
    SideBySide moreIsBetter(String figure, double agentchat, double peer, String format) {
        return row(figure + " (more is better)", agentchat, peer, format);
    }

    /** A figure that is neither better nor worse (a count of what was done). */
    SideBySide count(String figure, double agentchat, double peer) {
        rows.add(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | |", figure, agentchat, peer));
        return this;
    }

    SideBySide note(String note) {
        notes.add(note);
        return this;
    }

    private SideBySide row(String figure, double agentchat, double peer, String format) {
        String ratio = agentchat > 0 && Double.isFinite(agentchat) && Double.isFinite(peer)
                ? String.format(Locale.ROOT, "%.2f", peer / agentchat) : "–";
        rows.add(String.format(Locale.ROOT, "| %s | " + format + " | " + format + " | %s |", figure, agentchat, peer, ratio));
        return this;
    }

    void print() {
        System.out.printf(Locale.ROOT, "%n### %s%n%n", title);
        System.out.println("| figure | agentchat | peer | peer ÷ agentchat |");
        System.out.println("| --- | ---: | ---: | ---: |");
        rows.forEach(System.out::println);
        System.out.println();
        notes.forEach(System.out::println);
    }
}
