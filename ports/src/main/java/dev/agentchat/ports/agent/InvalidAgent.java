package dev.agentchat.ports.agent;

/** An agent definition that cannot be accepted, with why in words for the administrator. */
public final class InvalidAgent extends RuntimeException {
    public InvalidAgent(String message) {
        super(message);
    }
}
