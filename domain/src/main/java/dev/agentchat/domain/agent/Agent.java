package dev.agentchat.domain.agent;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.tool.ToolAccess;
import dev.agentchat.domain.tool.ToolCatalog;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.domain.refusal.AgentInactive;
import dev.agentchat.domain.refusal.ClientToolClash;
import dev.agentchat.domain.refusal.InvalidAgent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An agent the service hosts: who it is, how it is instructed, what it may use, and its record.
 *
 * @param aliases            other ids the agent answers to
 * @param instructions       the system prompt every conversation with the agent starts from
 * @param tools              the tools it may call, as they are listed: a tool of this service's own by its name,
 *                           a tool server's as {@code SERVER/TOOL}, or all of a server's as {@code SERVER/*}
 * @param approvalRequired   those of its tools whose every call waits for a person's approval, listed the same way
 * @param historyTokenBudget how many tokens of earlier conversation its model is sent, at most
 * @param metadata           the operator's own labels: at most {@value #MAX_METADATA_ENTRIES} short entries
 * @param version            how many times the agent was saved, from 1: a store replaces an agent only
 *                           over the version before it, so no edit is silently lost
 */
public record Agent(AgentId id, Set<AgentId> aliases, String name, String description, String instructions,
                    List<String> tools, List<String> approvalRequired, int historyTokenBudget, ModelSettings model,
                    AgentStatus status, Map<String, String> metadata, long version, Instant createdAt, Instant updatedAt) {
    public static final int DEFAULT_HISTORY_TOKEN_BUDGET = 8_000;
    public static final int MAX_METADATA_ENTRIES = 32;
    /** Before an agent is saved, its record times are unknown; this stands for them. */
    private static final Instant UNSAVED = Instant.EPOCH;
    /** What an id or alias may be: 2 to 64 lower-case letters and digits, words joined by single hyphens. */
    private static final Pattern SLUG = Pattern.compile("(?=.{2,64}$)[a-z0-9]+(-[a-z0-9]+)*");

    public Agent {
        Objects.requireNonNull(id, "id");
        aliases = Set.copyOf(aliases);
        if (aliases.contains(id)) {
            throw new IllegalArgumentException("an agent's alias cannot be its own id");
        }
        Require.nonBlank(name, "name");
        Require.maxLength(name, 200, "name");
        Objects.requireNonNull(description, "description");
        Require.maxLength(description, 2_000, "description");
        Objects.requireNonNull(instructions, "instructions");
        Require.maxLength(instructions, 100_000, "instructions");
        tools = List.copyOf(tools);
        approvalRequired = List.copyOf(new java.util.LinkedHashSet<>(approvalRequired));
        if (historyTokenBudget < 0) {
            throw new IllegalArgumentException("the history token budget cannot be negative");
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(status, "status");
        metadata = Map.copyOf(metadata);
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException("metadata may hold at most " + MAX_METADATA_ENTRIES + " entries");
        }
        metadata.forEach((key, value) -> {
            Require.nonBlank(key, "metadata key");
            Require.maxLength(key, 64, "metadata key");
            Require.maxLength(value, 512, "metadata value");
        });
        if (version < 1) {
            throw new IllegalArgumentException("versions count from 1, was " + version);
        }
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** An agent none of whose tools needs approval. */
    public Agent(AgentId id, Set<AgentId> aliases, String name, String description, String instructions,
                 List<String> tools, int historyTokenBudget, ModelSettings model, AgentStatus status,
                 Map<String, String> metadata, long version, Instant createdAt, Instant updatedAt) {
        this(id, aliases, name, description, instructions, tools, List.of(), historyTokenBudget, model, status, metadata,
                version, createdAt, updatedAt);
    }

    /** An active agent, not yet saved, with the model's default settings and no metadata. */
    public Agent(AgentId id, Set<AgentId> aliases, String name, String description, String instructions,
                 List<String> tools, int historyTokenBudget) {
        this(id, aliases, name, description, instructions, tools, historyTokenBudget, ModelSettings.DEFAULTS,
                AgentStatus.ACTIVE, Map.of(), 1, UNSAVED, UNSAVED);
    }

    /** An agent without tools and with the default history budget. */
    public Agent(AgentId id, Set<AgentId> aliases, String name, String description, String instructions) {
        this(id, aliases, name, description, instructions, List.of(), DEFAULT_HISTORY_TOKEN_BUDGET);
    }

    /**
     * True when the agent may call the tool listed as {@code listedAs} (its name for a tool of this service's own,
     * {@code SERVER/TOOL} for a tool server's): the agent lists it, or all of its server's tools.
     */
    public boolean mayUse(String listedAs) {
        return covers(tools, listedAs);
    }

    /** True when the agent may call this tool. */
    public boolean mayUse(ToolDefinition tool) {
        return mayUse(tool.listedAs());
    }

    /** True when {@code entries} name the tool listed as {@code listedAs}, or all of its server's tools. */
    private static boolean covers(List<String> entries, String listedAs) {
        if (entries.contains(listedAs)) {
            return true;
        }
        int slash = listedAs.indexOf('/');
        return slash > 0 && entries.contains(listedAs.substring(0, slash + 1) + ToolCatalog.ALL);
    }

    /**
     * Refuses tools a client declares as its own (to run them itself) when any is named like one of the
     * agent's: the model is offered both, and a call must name one tool only.
     *
     * @throws ClientToolClash naming those tools
     */
    public void checkClientTools(List<ToolDefinition> clientTools) {
        List<String> clashing = clientTools.stream().map(ToolDefinition::name).filter(this::mayUse).toList();
        if (!clashing.isEmpty()) {
            throw new ClientToolClash(clashing);
        }
    }

    /**
     * Refuses tools a client declares as its own when any has the name the model knows one of the agent's
     * tools of {@code available} by (a tool server's tool is known to the model by another name than it is listed).
     *
     * @throws ClientToolClash naming those tools
     */
    public void checkClientTools(List<ToolDefinition> clientTools, List<ToolDefinition> available) {
        Set<String> offered = toolsOffered(available).stream().map(ToolDefinition::name)
                .collect(java.util.stream.Collectors.toSet());
        List<String> clashing = clientTools.stream().map(ToolDefinition::name)
                .filter(name -> mayUse(name) || offered.contains(name)).toList();
        if (!clashing.isEmpty()) {
            throw new ClientToolClash(clashing);
        }
    }

    /** True when every call of the tool listed as {@code listedAs} waits for a person's approval before it runs. */
    public boolean needsApproval(String listedAs) {
        return mayUse(listedAs) && covers(approvalRequired, listedAs);
    }

    /** True when every call of this tool waits for a person's approval before it runs. */
    public boolean needsApproval(ToolDefinition tool) {
        return needsApproval(tool.listedAs());
    }

    /**
     * Refuses a definition the registry must not keep: an id or alias that is not a slug (2 to 64 lower-case
     * letters and digits, words joined by single hyphens), or a tool that is not among {@code knownTools}.
     */
    public void checkDefinable(List<String> knownTools) {
        checkDefinable(ToolCatalog.of(knownTools));
    }

    /**
     * Refuses a definition the registry must not keep: an id or alias that is not a slug (2 to 64 lower-case
     * letters and digits, words joined by single hyphens), a tool {@code catalog} has a problem with, or an
     * {@code approval_required} entry its tools do not cover.
     */
    public void checkDefinable(ToolCatalog catalog) {
        if (!SLUG.matcher(id.value()).matches()) {
            throw new InvalidAgent("The id '" + id + "' is not a slug: use 2 to 64 lower-case letters and digits, "
                    + "words joined by single hyphens.");
        }
        for (AgentId alias : aliases) {
            if (!SLUG.matcher(alias.value()).matches()) {
                throw new InvalidAgent("The alias '" + alias + "' is not a slug.");
            }
        }
        for (String tool : tools) {
            catalog.problemWith(tool).ifPresent(problem -> {
                throw new InvalidAgent(problem);
            });
        }
        for (String tool : approvalRequired) {
            // Checked as a tool entry too: a misspelt tool under NAME/* would be saved as guarded and run unasked.
            catalog.problemWith(tool).ifPresent(problem -> {
                throw new InvalidAgent("'approval_required': " + problem);
            });
            // NAME/* there needs NAME/* here; NAME/TOOL there needs NAME/TOOL or NAME/* here.
            if (!covers(tools, tool)) {
                throw new InvalidAgent("'approval_required' names '" + tool + "', which is not one of this agent's tools "
                        + tools + ".");
            }
        }
    }

    /** Whether the agent may call the tool listed as {@code listedAs}, and if not, what the model is told. */
    public ToolAccess accessTo(String listedAs) {
        return mayUse(listedAs) ? ToolAccess.ALLOWED
                : new ToolAccess.Refused("There is no tool named '" + listedAs + "' for this agent.");
    }

    /**
     * Whether the agent may have a model's call of {@code callName} run: the name must be one the model knows a
     * tool of {@code available} by, and the agent must list that tool; if not, what the model is told.
     */
    public ToolAccess accessTo(String callName, List<ToolDefinition> available) {
        return offeredAs(callName, available).isPresent() ? ToolAccess.ALLOWED
                : new ToolAccess.Refused("There is no tool named '" + callName + "' for this agent.");
    }

    /** The tool of {@code available} the agent may call that its model knows by {@code callName}, if any. */
    public java.util.Optional<ToolDefinition> offeredAs(String callName, List<ToolDefinition> available) {
        return available.stream().filter(tool -> tool.name().equals(callName) && mayUse(tool)).findFirst();
    }

    /** The tools its model is told of: those of {@code available} the agent may call, in their order. */
    public List<ToolDefinition> toolsOffered(List<ToolDefinition> available) {
        return available.stream().filter(this::mayUse).toList();
    }

    /** The model the agent's calls go to: its own deployment if it names one, else {@code defaultModel}. */
    public String modelName(String defaultModel) {
        return model.deploymentOr(defaultModel);
    }

    /** True when {@code idOrAlias} names this agent. */
    public boolean answersTo(AgentId idOrAlias) {
        return id.equals(idOrAlias) || aliases.contains(idOrAlias);
    }

    public boolean isActive() {
        return status == AgentStatus.ACTIVE;
    }

    /**
     * Checks that the agent takes new messages.
     *
     * @throws AgentInactive when it was retired
     */
    public void checkTakesMessages() {
        if (!isActive()) {
            throw new AgentInactive(id);
        }
    }

    /** The agent as first saved, at {@code now}. */
    public Agent savedFirst(Instant now) {
        return new Agent(id, aliases, name, description, instructions, tools, approvalRequired, historyTokenBudget, model,
                status, metadata, 1, now, now);
    }

    /** This agent replaced by {@code edited} (its id and record kept), as its next version. */
    public Agent revisedTo(Agent edited, Instant now) {
        return new Agent(id, edited.aliases, edited.name, edited.description, edited.instructions, edited.tools,
                edited.approvalRequired, edited.historyTokenBudget, edited.model, edited.status, edited.metadata, version + 1, createdAt, now);
    }

    /** The agent retired: inactive, as its next version. Retiring it again changes nothing. */
    public Agent retired(Instant now) {
        return isActive() ? new Agent(id, aliases, name, description, instructions, tools, approvalRequired,
                historyTokenBudget, model, AgentStatus.INACTIVE, metadata, version + 1, createdAt, now) : this;
    }
}
