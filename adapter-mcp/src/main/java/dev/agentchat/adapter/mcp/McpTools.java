package dev.agentchat.adapter.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.time.Clock;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import dev.agentchat.ports.tool.ToolRuntime;
import dev.agentchat.ports.tool.ToolSource;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The tools of MCP servers, for agents to call beside the built-in ones. Each server is connected to in the
 * background, so a server that is down does not hold up the service: its tools are missing, and {@link #sources()}
 * says why, until it answers. Agents list a tool as {@code SERVER/TOOL}; the model calls it {@code SERVER__TOOL},
 * with characters outside [A-Za-z0-9_-] replaced by '_', and cut to 64 with a hash suffix when too long or when two
 * tools would share a name (see {@link ModelNames}). A description is cut to 1,024 characters; a tool whose input
 * schema is over 16,384 characters is left out, and the log says so. Arguments are checked against the tool's input
 * schema before the server sees them.
 */
public final class McpTools implements ToolRuntime, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(McpTools.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_DESCRIPTION = 1_024;
    private static final int MAX_SCHEMA = 16_384;
    private static final String NO_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";

    private final List<McpConnection> connections = new ArrayList<>();
    private volatile Catalog catalog = new Catalog(List.of(), Map.of());
    private final List<Consumer<Listed>> listeners = new CopyOnWriteArrayList<>();
    /** The tools each connected server was last reported to have listed. */
    private final Map<String, Set<String>> reported = new HashMap<>();

    /** The tools a server listed, by the names it gives them: when it connected, and each time its list changed. */
    public record Listed(String server, Set<String> tools) {
        public Listed {
            tools = Set.copyOf(tools);
        }
    }

    /** The tools offered now, and where each model name leads. */
    private record Catalog(List<ToolDefinition> definitions, Map<String, Target> byModelName) {
    }

    /** A tool as its server knows it, and the schema its arguments are checked against. */
    private record Target(McpConnection connection, McpSchema.Tool tool, InputSchema input) {
    }

    private McpTools() {
    }

    /**
     * Starts connecting to every server, in the background, and returns at once. A connected server is pinged every
     * 30 seconds: one that does not answer is shown unreachable, its tools no longer offered, until it answers again.
     */
    public static McpTools connect(McpServers servers, Clock clock) {
        return connect(servers, clock, McpConnection.PING_EVERY);
    }

    /** As {@link #connect(McpServers, Clock)}, pinging every connected server every {@code pingEvery}. */
    static McpTools connect(McpServers servers, Clock clock, Duration pingEvery) {
        McpTools tools = new McpTools();
        synchronized (tools) {
            for (McpServer server : servers.servers()) {
                tools.connections.add(McpConnection.open(server, clock, pingEvery, tools::catalogue));
            }
        }
        tools.catalogue();
        return tools;
    }

    /**
     * Tells {@code listener} of the tools each server lists: those connected now at once, and then each server that
     * connects, or again, and each whose list changes. It runs on a thread of the adapter's: it must return soon and
     * not throw. This is how what only the servers know (does this agent's {@code SERVER/TOOL} exist?) can be checked
     * once they answer, by whoever knows the agents.
     */
    public void whenListed(Consumer<Listed> listener) {
        List<Listed> now;
        synchronized (this) {
            listeners.add(listener);
            now = reported.entrySet().stream().map(entry -> new Listed(entry.getKey(), entry.getValue())).toList();
        }
        now.forEach(listed -> tell(listener, listed));
    }

    private static void tell(Consumer<Listed> listener, Listed listed) {
        try {
            listener.accept(listed);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A listener of the tools MCP server {0} listed failed: {1}", listed.server(), e.toString());
        }
    }

    @Override
    public List<ToolDefinition> definitions() {
        return catalog.definitions();
    }

    @Override
    public synchronized List<ToolSource> sources() {
        return connections.stream()
                .map(connection -> new ToolSource(connection.name(), connection.problem(), connection.tools().size()))
                .toList();
    }

    /** Watches every call to the servers through {@code telemetry} from now on. */
    public McpTools watchedBy(Telemetry telemetry) {
        connections.forEach(connection -> connection.watchedBy(telemetry));
        return this;
    }

    @Override
    public ToolOutcome execute(ToolInvocation invocation, ToolProgress progress) {
        Target target = catalog.byModelName().get(invocation.toolName());
        if (target == null) {
            return new ToolOutcome.Failed("There is no tool named '" + invocation.toolName() + "'.");
        }
        Map<String, Object> arguments;
        try {
            arguments = arguments(invocation.arguments());
        } catch (IllegalArgumentException e) {
            return new ToolOutcome.Failed(e.getMessage());
        }
        Optional<String> violations = target.input().violations(arguments);
        if (violations.isPresent()) {
            return new ToolOutcome.Failed("the arguments do not fit the tool's input schema: " + violations.get());
        }
        return target.connection().call(target.tool().name(), arguments, progress);
    }

    /** The arguments the model wrote, which must be one JSON object; none at all means no arguments. */
    private static Map<String, Object> arguments(String text) {
        if (text.isBlank()) {
            return Map.of();
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the arguments are not JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException("the arguments must be a JSON object");
        }
        return JSON.convertValue(parsed, new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    /** Lists every server's tools again, under their model names, after any server's tools changed. */
    private void catalogue() {
        List<Listed> changed;
        List<Consumer<Listed>> told;
        synchronized (this) {
            changed = relisted();
            told = List.copyOf(listeners);
        }
        changed.forEach(listed -> told.forEach(listener -> tell(listener, listed)));
    }

    /** The servers connected, or relisted, since the last time: their tools as listed, names as they give them. */
    private List<Listed> relisted() {
        catalogueTools();
        List<Listed> changed = new ArrayList<>();
        for (McpConnection connection : connections) {
            if (!connection.connected()) {
                reported.remove(connection.name()); // when it connects again, it is reported again
                continue;
            }
            Set<String> names = connection.tools().stream().map(listed -> listed.tool().name()).collect(Collectors.toSet());
            if (!names.equals(reported.get(connection.name()))) {
                reported.put(connection.name(), names);
                changed.add(new Listed(connection.name(), names));
            }
        }
        return changed;
    }

    private void catalogueTools() {
        List<Target> targets = new ArrayList<>();
        for (McpConnection connection : connections) {
            for (McpConnection.ListedTool listed : connection.tools()) {
                McpSchema.Tool tool = listed.tool();
                String listedAs = connection.name() + "/" + tool.name();
                if (listedAs.length() > ToolDefinition.MAX_LISTED_LENGTH) {
                    LOG.log(Level.WARNING, "MCP tool {0} is left out: its name is longer than {1}",
                            listedAs, String.valueOf(ToolDefinition.MAX_LISTED_LENGTH));
                    continue;
                }
                targets.add(new Target(connection, tool, listed.input()));
            }
        }
        Map<String, String> names = ModelNames.of(targets.stream().map(McpTools::listedAs).toList());
        List<ToolDefinition> definitions = new ArrayList<>();
        Map<String, Target> byModelName = new LinkedHashMap<>();
        for (Target target : targets) {
            String listedAs = listedAs(target);
            String schema = schemaText(target.tool());
            if (schema.length() > MAX_SCHEMA) {
                LOG.log(Level.WARNING, "MCP tool {0} is left out: its input schema has {1} characters, more than {2}",
                        listedAs, String.valueOf(schema.length()), String.valueOf(MAX_SCHEMA));
                continue;
            }
            definitions.add(new ToolDefinition(names.get(listedAs), description(target.tool()), schema, listedAs));
            byModelName.put(names.get(listedAs), target);
        }
        catalog = new Catalog(List.copyOf(definitions), Map.copyOf(byModelName));
    }

    private static String listedAs(Target target) {
        return target.connection().name() + "/" + target.tool().name();
    }

    private static String description(McpSchema.Tool tool) {
        String text = firstNonBlank(tool.description(), tool.title(), tool.name());
        return text.length() > MAX_DESCRIPTION ? text.substring(0, MAX_DESCRIPTION) : text;
    }

    private static String firstNonBlank(String... texts) {
        for (String text : texts) {
            if (text != null && !text.isBlank()) {
                return text.strip();
            }
        }
        return "a tool without a description";
    }

    private static String schemaText(McpSchema.Tool tool) {
        if (tool.inputSchema() == null || tool.inputSchema().isEmpty()) {
            return NO_PARAMETERS;
        }
        try {
            return JSON.writeValueAsString(tool.inputSchema());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a schema read from JSON is written as JSON", e);
        }
    }

    /** Ends every session, and the process of every local server. */
    @Override
    public void close() {
        List<McpConnection> all;
        synchronized (this) {
            all = List.copyOf(connections);
        }
        // All at once: each may wait for its server's processes to end, for up to their grace.
        List<Thread> closing = all.stream().map(connection -> Thread.ofVirtual()
                .name("mcp-close-" + connection.name()).start(connection::close)).toList();
        boolean interrupted = false;
        for (Thread thread : closing) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        catalog = new Catalog(List.of(), Map.of());
    }
}
