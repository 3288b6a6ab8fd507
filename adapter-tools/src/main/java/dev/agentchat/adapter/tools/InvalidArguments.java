package dev.agentchat.adapter.tools;

/** The model's arguments do not fit the tool's schema; the message says how, in words the model can act on. */
public final class InvalidArguments extends RuntimeException {
    public InvalidArguments(String message) {
        super(message);
    }
}
