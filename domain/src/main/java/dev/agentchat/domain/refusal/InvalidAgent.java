package dev.agentchat.domain.refusal;

/** An agent definition that cannot be accepted, with why in words for the administrator. */
public final class InvalidAgent extends Refusal {
    public InvalidAgent(String message) {
        super(Kind.UNPROCESSABLE, message);
    }
}
