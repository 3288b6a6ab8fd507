package dev.agentchat.adapter.http;

/**
 * A request body that is not exactly one JSON document in UTF-8, or whose members are not of the types
 * asked for; the message says why, for the client.
 */
public final class MalformedBody extends RuntimeException {
    public MalformedBody(String message) {
        super(message);
    }
}
