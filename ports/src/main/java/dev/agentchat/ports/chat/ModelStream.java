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

    /** The model the service says answered (a deployment names its model so), once it has said; empty if it never does. */
    default Optional<String> responseModel() {
        return Optional.empty();
    }

    /** Ends the stream; safe to call from another thread while {@link #next()} blocks, and more than once. */
    @Override
    void close();
}
