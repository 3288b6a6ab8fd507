package dev.agentchat.domain.thread;

import java.util.regex.Pattern;

/** Makes a thread's title from its first message: one line, whole words, at most {@value #MAX_LENGTH} characters. */
public final class ThreadTitle {
    public static final int MAX_LENGTH = 60;
    public static final String UNTITLED = "New conversation";
    private static final String ELLIPSIS = "\u2026";

    /** Any Unicode white space, line and paragraph separators and no-break spaces included. */
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private ThreadTitle() {
    }

    public static String fromFirstMessage(String message) {
        String line = message == null ? "" : WHITE_SPACE.matcher(message).replaceAll(" ").strip();
        if (line.isEmpty()) {
            return UNTITLED;
        }
        if (line.length() <= MAX_LENGTH) {
            return line;
        }
        int room = MAX_LENGTH - ELLIPSIS.length();
        int cut = line.lastIndexOf(' ', room);
        // Cut at a word boundary unless that would throw away more than half of the room.
        if (cut < room / 2) {
            cut = room;
            if (Character.isHighSurrogate(line.charAt(cut - 1))) {
                cut--;
            }
        }
        return line.substring(0, cut).stripTrailing() + ELLIPSIS;
    }
}
