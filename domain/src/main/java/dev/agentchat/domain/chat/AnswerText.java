package dev.agentchat.domain.chat;

/**
 * The answer text received so far, as an immutable chain of pieces. Appending shares the earlier
 * chain, so a turn can stay immutable without copying the whole answer on every token.
 */
final class AnswerText {
    static final AnswerText EMPTY = new AnswerText(null, "", 0);

    private final AnswerText before;
    private final String piece;
    private final int length;

    private AnswerText(AnswerText before, String piece, int length) {
        this.before = before;
        this.piece = piece;
        this.length = length;
    }

    AnswerText append(String text) {
        return text.isEmpty() ? this : new AnswerText(this, text, length + text.length());
    }

    int length() {
        return length;
    }

    @Override
    public String toString() {
        char[] chars = new char[length];
        int end = length;
        for (AnswerText at = this; at != null; at = at.before) {
            end -= at.piece.length();
            at.piece.getChars(0, at.piece.length(), chars, end);
        }
        return new String(chars);
    }
}
