package dev.agentchat.adapter.openai;

import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import java.util.Optional;

/**
 * Puts streamed tool calls back together. A call arrives in deltas: the first carries its id and
 * name, the next ones fragments of its arguments; the calls of one answer follow each other.
 *
 * <p>Why by id and not by index: the wire deltas carry an {@code index}, but the SDK's model
 * (ChatCompletionsFunctionToolCall) drops it. So a delta with a new id starts a call, and one without
 * an id (or repeating the current one, as some OpenAI-compatible servers do) continues the last call.
 * Services stream parallel calls one after the other, so this loses nothing. Not thread-safe: used
 * by the stream's one reader.
 */
final class ToolCallAssembler {
    private String id;
    private final StringBuilder name = new StringBuilder();
    private final StringBuilder arguments = new StringBuilder();
    private int started;

    /**
     * Feeds one tool-call delta (any part may be null).
     *
     * @return the previous call, complete, when this delta begins a new one
     */
    Optional<ToolCallRequest> accept(String deltaId, String nameFragment, String argumentsFragment) {
        Optional<ToolCallRequest> completed = Optional.empty();
        boolean startsNewCall = deltaId != null && !deltaId.isEmpty() && !deltaId.equals(id);
        if (startsNewCall || id == null) {
            completed = drain();
            started++;
            // A server that sends no id at all still gets its call answered: the id only has to be
            // unique within the answer, as the tool result quotes it back.
            id = startsNewCall ? deltaId : "call_" + started;
        }
        if (nameFragment != null) {
            name.append(nameFragment);
        }
        if (argumentsFragment != null) {
            arguments.append(argumentsFragment);
        }
        return completed;
    }

    /** The call in progress, complete (the answer finished or a new call began); empty if there is none. */
    Optional<ToolCallRequest> drain() {
        if (id == null) {
            return Optional.empty();
        }
        ToolCallRequest call = new ToolCallRequest(id, name.toString(), arguments.toString());
        id = null;
        name.setLength(0);
        arguments.setLength(0);
        return Optional.of(call);
    }
}
