package dev.agentchat.adapter.prometheus;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The labels of the service's series, each label's values capped ({@link CappedLabel}) across every metric
 * that carries it: a model, an agent or a tool counts once towards the cap of its label.
 */
final class Labels {
    static final String OPERATION = "gen_ai.operation.name";
    static final String PROVIDER = "gen_ai.provider.name";
    static final String REQUEST_MODEL = "gen_ai.request.model";
    static final String RESPONSE_MODEL = "gen_ai.response.model";
    static final String TOKEN_TYPE = "gen_ai.token.type";
    static final String AGENT = "gen_ai.agent.id";
    static final String TOOL = "gen_ai.tool.name";
    static final String ERROR_TYPE = "error.type";
    static final String RUN_STATUS = "agentchat.run.status";
    static final String TOOL_CALL_STATUS = "agentchat.tool.call.status";
    static final String STREAM_KIND = "agentchat.stream.kind";
    static final String TOOL_SERVER = "agentchat.tool_server.name";
    static final String MCP_METHOD = "mcp.method.name";
    static final String NETWORK_TRANSPORT = "network.transport";
    static final String DB_SYSTEM = "db.system.name";
    static final String DB_COLLECTION = "db.collection.name";
    static final String DB_OPERATION = "db.operation.name";
    static final String HTTP_METHOD = "http.request.method";
    static final String HTTP_ROUTE = "http.route";
    static final String HTTP_STATUS = "http.response.status_code";

    private final int cap;
    private final Map<String, CappedLabel> labels = new ConcurrentHashMap<>();

    /** Labels that take at most {@code cap} values each. */
    Labels(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("a label must be allowed at least one value, was " + cap);
        }
        this.cap = cap;
    }

    /** The tags of {@code keysAndValues} (a key, its value, the next key...), each value capped for its key. */
    Tags of(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("a value for each key");
        }
        List<Tag> tags = new ArrayList<>(keysAndValues.length / 2);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = keysAndValues[i];
            tags.add(Tag.of(key, value(key, keysAndValues[i + 1])));
        }
        return Tags.of(tags);
    }

    /** {@code value} as label {@code key} takes it: itself, or {@link CappedLabel#OTHER} past the cap. */
    String value(String key, String value) {
        return labels.computeIfAbsent(key, k -> new CappedLabel(cap)).valueOf(value);
    }
}
