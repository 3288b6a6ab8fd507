package dev.agentchat.ports.chat;

/** The client watching a chat turn went away; nothing more can be sent to it. */
public final class ClientDisconnected extends RuntimeException {
    public ClientDisconnected(String message, Throwable cause) {
        super(message, cause);
    }
}
