package dev.agentchat.domain.agent;

import dev.agentchat.domain.Require;
import java.util.Objects;
import java.util.Set;

/**
 * An agent the service hosts: who it is and how it is instructed.
 *
 * @param aliases      other ids the agent answers to
 * @param instructions the system prompt every conversation with the agent starts from
 */
public record Agent(AgentId id, Set<AgentId> aliases, String name, String description, String instructions) {
    public Agent {
        Objects.requireNonNull(id, "id");
        aliases = Set.copyOf(aliases);
        Require.nonBlank(name, "name");
        Require.maxLength(name, 200, "name");
        Objects.requireNonNull(description, "description");
        Require.maxLength(description, 2_000, "description");
        Objects.requireNonNull(instructions, "instructions");
        Require.maxLength(instructions, 100_000, "instructions");
    }

    /** True when {@code idOrAlias} names this agent. */
    public boolean answersTo(AgentId idOrAlias) {
        return id.equals(idOrAlias) || aliases.contains(idOrAlias);
    }
}
