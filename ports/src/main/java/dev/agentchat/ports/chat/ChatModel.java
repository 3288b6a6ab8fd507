package dev.agentchat.ports.chat;

/** A language model that answers a conversation as a stream. */
public interface ChatModel {

    /** The model (or deployment) this adapter asks, as runs and prices name it. */
    String modelName();

    /**
     * Starts answering. The returned stream must be closed; closing it from any thread ends the
     * answer at once and releases the connection behind it.
     *
     * @throws ModelFailure when the model cannot be asked at all
     */
    ModelStream stream(ModelRequest request);
}
