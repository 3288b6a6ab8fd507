package dev.agentchat.adapter.tools;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.agentchat.adapter.tools.calculator.Calculator;
import dev.agentchat.adapter.tools.knowledge.KnowledgeSearch;
import dev.agentchat.adapter.tools.time.CurrentTime;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import dev.agentchat.ports.tool.ToolRuntime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The built-in tools, offline and thread-safe: {@value #CURRENT_TIME}, {@value #CALCULATOR} and
 * {@value #SEARCH_KNOWLEDGE_BASE}. It checks the model's arguments against each tool's schema before the
 * tool sees them, and turns every failure into a {@link ToolOutcome.Failed}.
 */
public final class BuiltInTools implements ToolRuntime {
    public static final String CURRENT_TIME = "current_time";
    public static final String CALCULATOR = "calculator";
    public static final String SEARCH_KNOWLEDGE_BASE = "search_knowledge_base";

    /** Far above any honest arguments object of these tools; a bound before parsing whatever the model wrote. */
    static final int MAX_ARGUMENTS_LENGTH = 32_768;

    private static final System.Logger LOG = System.getLogger(BuiltInTools.class.getName());
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The tools by name, in the order they are offered; never changed after construction. */
    private final Map<String, Offered> tools;

    BuiltInTools(List<Tool> tools) {
        Map<String, Offered> byName = new LinkedHashMap<>();
        for (Tool tool : tools) {
            Offered offered = Offered.of(tool);
            if (byName.putIfAbsent(offered.definition().name(), offered) != null) {
                throw new IllegalArgumentException("two tools are named '" + offered.definition().name() + "'");
            }
        }
        this.tools = Collections.unmodifiableMap(byName);
    }

    /** Every built-in tool; {@code clock} is what {@value #CURRENT_TIME} reads. */
    public static BuiltInTools all(Clock clock) {
        return only(clock, List.of(CURRENT_TIME, CALCULATOR, SEARCH_KNOWLEDGE_BASE));
    }

    /**
     * Only the named tools, offered in the order given (e.g. from an agent's configuration).
     *
     * @throws IllegalArgumentException for a name that is not a built-in tool
     */
    public static BuiltInTools only(Clock clock, Collection<String> toolNames) {
        Objects.requireNonNull(clock, "clock");
        Map<String, Supplier<Tool>> known = new LinkedHashMap<>();
        known.put(CURRENT_TIME, () -> new CurrentTime(clock));
        known.put(CALCULATOR, Calculator::new);
        known.put(SEARCH_KNOWLEDGE_BASE, KnowledgeSearch::overShippedArticles);
        List<Tool> chosen = new ArrayList<>();
        for (String name : new LinkedHashSet<>(toolNames)) {
            Supplier<Tool> tool = known.get(name);
            if (tool == null) {
                throw new IllegalArgumentException("no built-in tool is named '" + name + "'; there are: " + String.join(", ", known.keySet()));
            }
            chosen.add(tool.get());
        }
        return new BuiltInTools(chosen);
    }

    @Override
    public List<ToolDefinition> definitions() {
        return tools.values().stream().map(Offered::definition).toList();
    }

    @Override
    public ToolOutcome execute(ToolInvocation invocation, ToolProgress progress) {
        Objects.requireNonNull(invocation, "invocation");
        Objects.requireNonNull(progress, "progress");
        Offered offered = tools.get(invocation.toolName());
        if (offered == null) {
            return new ToolOutcome.Failed("unknown tool '" + invocation.toolName() + "'; the tools are: " + String.join(", ", tools.keySet()));
        }
        if (Thread.currentThread().isInterrupted()) {
            return new ToolOutcome.Failed("interrupted");
        }
        try {
            JsonNode arguments = offered.checked(parse(invocation.arguments()));
            return offered.tool().run(arguments, progress);
        } catch (InvalidArguments e) {
            return new ToolOutcome.Failed(e.getMessage());
        } catch (RuntimeException e) {
            // A bug in a tool must not end the chat turn: the model is told, the operator finds the stack trace in the log.
            // The error reaches clients in trace_end, so it names no exception: those are the service's internals.
            LOG.log(System.Logger.Level.WARNING, "tool " + invocation.toolName() + " failed unexpectedly", e);
            return new ToolOutcome.Failed(invocation.toolName() + " failed unexpectedly; the service's log has the details");
        }
    }

    /** The arguments text as a JSON object; blank text counts as {@code {}}, which some models send for "no arguments". */
    private static JsonNode parse(String arguments) {
        if (arguments.isBlank()) {
            return JSON.createObjectNode();
        }
        if (arguments.length() > MAX_ARGUMENTS_LENGTH) {
            throw new InvalidArguments("arguments are too long: at most " + MAX_ARGUMENTS_LENGTH + " characters, were " + arguments.length());
        }
        JsonNode node;
        try {
            node = JSON.readTree(arguments);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidArguments("arguments are not valid JSON" + where + ": " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw new InvalidArguments("arguments must be a JSON object, were " + Arguments.describe(node));
        }
        return node;
    }

    /** A tool with the field names its schema allows and requires, read once from the schema. */
    private record Offered(Tool tool, ToolDefinition definition, Set<String> fields, List<String> required) {

        static Offered of(Tool tool) {
            ToolDefinition definition = tool.definition();
            JsonNode schema;
            try {
                schema = JSON.readTree(definition.parametersSchema());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("the schema of " + definition.name() + " is not JSON", e);
            }
            JsonNode properties = schema.path("properties");
            boolean wellFormed = "object".equals(schema.path("type").asText())
                    && properties.isObject()
                    && schema.path("required").isArray()
                    && schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").booleanValue();
            if (!wellFormed) {
                throw new IllegalArgumentException("the schema of " + definition.name()
                        + " must be an object schema with properties, required and additionalProperties false");
            }
            Set<String> fields = new LinkedHashSet<>();
            properties.fieldNames().forEachRemaining(fields::add);
            List<String> required = new ArrayList<>();
            schema.path("required").forEach(name -> required.add(name.asText()));
            if (!fields.containsAll(required)) {
                throw new IllegalArgumentException("the schema of " + definition.name() + " requires a field it does not describe");
            }
            return new Offered(tool, definition, Collections.unmodifiableSet(fields), List.copyOf(required));
        }

        /** The arguments, if every field is one the schema names and every required one is there. */
        JsonNode checked(JsonNode arguments) {
            for (Iterator<String> names = arguments.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!fields.contains(name)) {
                    String takes = fields.isEmpty() ? "no arguments" : "only " + String.join(", ", fields);
                    throw new InvalidArguments("arguments: unknown field '" + name + "'; " + definition.name() + " takes " + takes);
                }
            }
            for (String name : required) {
                if (arguments.path(name).isMissingNode() || arguments.path(name).isNull()) {
                    throw new InvalidArguments("arguments: '" + name + "' is required");
                }
            }
            return arguments;
        }
    }
}
