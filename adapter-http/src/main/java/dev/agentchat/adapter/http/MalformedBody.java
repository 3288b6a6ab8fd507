package dev.agentchat.adapter.http;

/** A request body that is not exactly one JSON document in UTF-8; the message says why, for the client. */
public final class MalformedBody extends RuntimeException {
    public MalformedBody(String message) {
        super(message);
    }
}
