package dev.agentchat.adapter.tools.calculator;

/** Why an expression has no value, and at which character (1-based; 0 when the whole text is at fault). */
final class ExpressionError extends RuntimeException {
    private final String reason;
    private final int position;

    ExpressionError(String reason, int position) {
        super(position > 0 ? reason + " at position " + position : reason);
        this.reason = reason;
        this.position = position;
    }

    String reason() {
        return reason;
    }

    int position() {
        return position;
    }
}
