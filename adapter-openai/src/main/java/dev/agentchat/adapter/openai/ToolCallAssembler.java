package dev.agentchat.adapter.openai;

import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts streamed tool calls back together. A call arrives in deltas: the first carries its index, id
 * and name, the next ones its index and fragments of its arguments. Deltas of several calls may come
 * in one chunk or interleaved, so they are put together by their {@code index}, and the calls come
 * out in index order once the answer is finished.
 *
 * <p>The SDK's model of a delta drops the index, so the translator reads it from the chunk itself.
 * For servers that send no index, a delta with a new id starts a call and one without an id (or
 * repeating the current one) continues the last. Not thread-safe: used by the stream's one reader.
 */
final class ToolCallAssembler {
    private final TreeMap<Integer, Partial> calls = new TreeMap<>();
    private Integer last;

    private static final class Partial {
        String id;
        final StringBuilder name = new StringBuilder();
        final StringBuilder arguments = new StringBuilder();
    }

    /** Feeds one tool-call delta; any part may be null. */
    void accept(Integer index, String deltaId, String nameFragment, String argumentsFragment) {
        boolean hasId = deltaId != null && !deltaId.isEmpty();
        Integer key;
        if (index != null) {
            key = index;
        } else if (hasId && (last == null || !deltaId.equals(calls.get(last).id))) {
            key = calls.isEmpty() ? 0 : calls.lastKey() + 1;
        } else {
            key = last == null ? 0 : last;
        }
        Partial call = calls.computeIfAbsent(key, k -> new Partial());
        if (hasId && call.id == null) {
            call.id = deltaId;
        }
        if (nameFragment != null) {
            call.name.append(nameFragment);
        }
        if (argumentsFragment != null) {
            call.arguments.append(argumentsFragment);
        }
        last = key;
    }

    /** Every call put together so far, in index order, complete (the answer finished); none is kept. */
    List<ToolCallRequest> drain() {
        List<ToolCallRequest> complete = new ArrayList<>(calls.size());
        for (Map.Entry<Integer, Partial> entry : calls.entrySet()) {
            Partial call = entry.getValue();
            // A server that sends no id still gets its call answered: the id only has to be unique
            // within the answer, as the tool result quotes it back.
            String id = call.id != null ? call.id : "call_" + (entry.getKey() + 1);
            complete.add(new ToolCallRequest(id, call.name.toString(), call.arguments.toString()));
        }
        calls.clear();
        last = null;
        return complete;
    }
}
