package dev.agentchat.ports.chat;

/** A language model that answers a conversation as a stream. */
public interface ChatModel {

    /** The model (or deployment) this adapter asks, as runs and prices name it. */
    String modelName();

    /**
     * Who serves the model, as OpenTelemetry's conventions for generative AI name providers
     * ({@code azure.ai.openai}, {@code openai}); a name of the adapter's own for one they do not list.
     */
    default String provider() {
        return "unknown";
    }

    /**
     * Starts answering. The returned stream must be closed; closing it from any thread ends the
     * answer at once and releases the connection behind it.
     *
     * @throws ModelFailure when the model cannot be asked at all
     */
    ModelStream stream(ModelRequest request);
}
