package dev.agentchat.domain.agent;

import dev.agentchat.domain.Require;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An agent the service hosts: who it is, how it is instructed, and what it may use.
 *
 * @param aliases            other ids the agent answers to
 * @param instructions       the system prompt every conversation with the agent starts from
 * @param tools              the names of the tools it may call
 * @param historyTokenBudget how many tokens of earlier conversation its model is sent, at most
 */
public record Agent(AgentId id, Set<AgentId> aliases, String name, String description, String instructions,
                    List<String> tools, int historyTokenBudget) {
    public static final int DEFAULT_HISTORY_TOKEN_BUDGET = 8_000;

    public Agent {
        Objects.requireNonNull(id, "id");
        aliases = Set.copyOf(aliases);
        Require.nonBlank(name, "name");
        Require.maxLength(name, 200, "name");
        Objects.requireNonNull(description, "description");
        Require.maxLength(description, 2_000, "description");
        Objects.requireNonNull(instructions, "instructions");
        Require.maxLength(instructions, 100_000, "instructions");
        tools = List.copyOf(tools);
        if (historyTokenBudget < 0) {
            throw new IllegalArgumentException("the history token budget cannot be negative");
        }
    }

    /** An agent without tools and with the default history budget. */
    public Agent(AgentId id, Set<AgentId> aliases, String name, String description, String instructions) {
        this(id, aliases, name, description, instructions, List.of(), DEFAULT_HISTORY_TOKEN_BUDGET);
    }

    /** True when the agent may call the tool of this name. */
    public boolean mayUse(String tool) {
        return tools.contains(tool);
    }

    /** True when {@code idOrAlias} names this agent. */
    public boolean answersTo(AgentId idOrAlias) {
        return id.equals(idOrAlias) || aliases.contains(idOrAlias);
    }
}
