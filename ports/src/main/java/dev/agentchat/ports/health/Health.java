package dev.agentchat.ports.health;

import dev.agentchat.ports.tool.ToolSource;
import java.util.List;
import java.util.Objects;

/**
 * How the service stands: up, or degraded while a tool server it draws on is not reachable (it still serves
 * every chat; the tools of that server are missing until it answers).
 *
 * @param status      up or degraded
 * @param toolServers the tool servers configured, each reachable or not, in their order
 */
public record Health(Status status, List<ToolSource> toolServers) {
    public Health {
        Objects.requireNonNull(status, "status");
        toolServers = List.copyOf(toolServers);
    }

    /** The health of a service drawing on {@code toolServers}: degraded when any is not reachable. */
    public static Health of(List<ToolSource> toolServers) {
        boolean allReachable = toolServers.stream().allMatch(ToolSource::reachable);
        return new Health(allReachable ? Status.UP : Status.DEGRADED, toolServers);
    }

    /** Whether the service is up or degraded. */
    public enum Status {
        UP, DEGRADED
    }
}
