package dev.agentchat.ports.chat;

import dev.agentchat.domain.chat.ModelStreamItem;
import java.util.Optional;

/** A model's answer, read item by item. */
public interface ModelStream extends AutoCloseable {

    /**
     * Blocks until the next item arrives; empty once the stream has ended or was closed.
     *
     * @throws ModelFailure when the model or the connection to it fails mid-answer
     */
    Optional<ModelStreamItem> next();

    /**
     * Runs {@code action} once, on the thread reading the answer, when its first chunk arrives (a role, a text, the
     * start of a tool call: whatever the service streams first), which may be long before the first item, as a
     * tool call's item comes whole. A stream that does not tell leaves the first item to stand for it.
     */
    default void whenFirstChunk(Runnable action) {
    }

    /** The model the service says answered (a deployment names its model so), once it has said; empty if it never does. */
    default Optional<String> responseModel() {
        return Optional.empty();
    }

    /** Ends the stream; safe to call from another thread while {@link #next()} blocks, and more than once. */
    @Override
    void close();
}
