package dev.agentchat.domain.thread;

/** Makes a thread's title from its first message: one line, whole words, at most {@value #MAX_LENGTH} characters. */
public final class ThreadTitle {
    public static final int MAX_LENGTH = 60;
    public static final String UNTITLED = "New conversation";
    private static final String ELLIPSIS = "\u2026";

    private ThreadTitle() {
    }

    public static String fromFirstMessage(String message) {
        String line = message == null ? "" : message.strip().replaceAll("\\s+", " ");
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
