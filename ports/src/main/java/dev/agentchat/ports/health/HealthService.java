package dev.agentchat.ports.health;

import dev.agentchat.ports.tool.ToolRuntime;
import java.util.Objects;

/** Tells the service's health from the tool servers its tools draw on, as they stand now. */
public final class HealthService implements CheckHealth {
    private final ToolRuntime tools;

    public HealthService(ToolRuntime tools) {
        this.tools = Objects.requireNonNull(tools, "tools");
    }

    @Override
    public Health health() {
        return Health.of(tools.sources());
    }
}
