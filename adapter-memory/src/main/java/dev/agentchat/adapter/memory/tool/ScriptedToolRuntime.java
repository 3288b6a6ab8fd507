package dev.agentchat.adapter.memory.tool;

import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import dev.agentchat.ports.tool.ToolRuntime;
import dev.agentchat.ports.tool.ToolSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * Tools whose behaviour a test gives as functions, and a record of every call. For tests of anything
 * that runs tools: results, failures, progress, slow or hanging tools are the test's to choose.
 */
public final class ScriptedToolRuntime implements ToolRuntime {
    private final Map<String, ToolDefinition> definitions = new ConcurrentHashMap<>();
    private final Map<String, BiFunction<String, ToolProgress, ToolOutcome>> behaviours = new ConcurrentHashMap<>();
    private final List<ToolInvocation> invocations = new CopyOnWriteArrayList<>();
    private final List<ToolSource> sources = new CopyOnWriteArrayList<>();

    /** Adds a tool that answers each call's arguments with {@code behaviour}. */
    public ScriptedToolRuntime tool(String name, BiFunction<String, ToolProgress, ToolOutcome> behaviour) {
        definitions.put(name, new ToolDefinition(name, "A scripted tool named " + name + ".",
                "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":true}"));
        behaviours.put(name, behaviour);
        return this;
    }

    /**
     * Adds a tool of the tool server {@code server}, as a tool server's runtime offers it: listed as
     * {@code SERVER/TOOL}, called by the model as {@code SERVER__TOOL}.
     */
    public ScriptedToolRuntime serverTool(String server, String tool, BiFunction<String, ToolProgress, ToolOutcome> behaviour) {
        String name = server + "__" + tool;
        definitions.put(name, new ToolDefinition(name, "A scripted tool " + tool + " of " + server + ".",
                "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":true}", server + "/" + tool));
        behaviours.put(name, behaviour);
        return this;
    }

    /** Says the runtime draws on {@code source}, as it stands now (replacing what was said of it before). */
    public ScriptedToolRuntime source(ToolSource source) {
        sources.removeIf(known -> known.name().equals(source.name()));
        sources.add(source);
        return this;
    }

    @Override
    public List<ToolSource> sources() {
        return List.copyOf(sources);
    }

    @Override
    public List<ToolDefinition> definitions() {
        return definitions.values().stream().sorted(java.util.Comparator.comparing(ToolDefinition::name)).toList();
    }

    @Override
    public ToolOutcome execute(ToolInvocation invocation, ToolProgress progress) {
        invocations.add(invocation);
        BiFunction<String, ToolProgress, ToolOutcome> behaviour = behaviours.get(invocation.toolName());
        return behaviour == null ? new ToolOutcome.Failed("There is no tool named '" + invocation.toolName() + "'.")
                : behaviour.apply(invocation.arguments(), progress);
    }

    /** Every call so far, in the order they started. */
    public List<ToolInvocation> invocations() {
        return List.copyOf(invocations);
    }
}
