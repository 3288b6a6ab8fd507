package dev.agentchat.domain.lifecycle;

/**
 * Thrown when a lifecycle is asked to move between two states that its transition table does not
 * connect. It names both states so that the log line alone explains the bug.
 */
public final class IllegalTransition extends RuntimeException {
    private final String subject;
    private final String from;
    private final String to;

    public IllegalTransition(String subject, Enum<?> from, Enum<?> to) {
        super(subject + " cannot go from " + from + " to " + to);
        this.subject = subject;
        this.from = from.name();
        this.to = to.name();
    }

    public String subject() {
        return subject;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }
}
