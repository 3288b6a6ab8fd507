package dev.agentchat.adapter.openaijava;

import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The tool calls of one answer, put together from their deltas: the first delta of a call carries its
 * index, id and name, the next ones the same index and pieces of the arguments; deltas of several calls
 * may share a chunk. A server that sends no index gets one: a new id opens the next call, a delta without
 * one continues the last. Confined to the stream's reader.
 */
final class ToolCalls {
    private final SortedMap<Long, Call> open = new TreeMap<>();
    private Long latest;

    private static final class Call {
        private String id;
        private final StringBuilder name = new StringBuilder();
        private final StringBuilder arguments = new StringBuilder();

        ToolCallRequest complete(long index) {
            // The id only has to be unique within the answer, as the tool result quotes it back.
            return new ToolCallRequest(id != null ? id : "call_" + (index + 1), name.toString(), arguments.toString());
        }
    }

    /** One delta; any part may be null. */
    void add(Long index, String id, String name, String arguments) {
        long key = index != null ? index : keyWithoutIndex(id);
        Call call = open.computeIfAbsent(key, k -> new Call());
        if (call.id == null && id != null && !id.isEmpty()) {
            call.id = id;
        }
        if (name != null) {
            call.name.append(name);
        }
        if (arguments != null) {
            call.arguments.append(arguments);
        }
        latest = key;
    }

    private long keyWithoutIndex(String id) {
        boolean opensAnother = id != null && !id.isEmpty() && (latest == null || !id.equals(open.get(latest).id));
        if (opensAnother) {
            return open.isEmpty() ? 0 : open.lastKey() + 1;
        }
        return latest == null ? 0 : latest;
    }

    /** The calls so far, whole (the answer finished), in index order; none is kept. */
    List<ToolCallRequest> finish() {
        List<ToolCallRequest> whole = open.entrySet().stream().map(e -> e.getValue().complete(e.getKey())).toList();
        open.clear();
        latest = null;
        return whole;
    }
}
