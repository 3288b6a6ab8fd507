package dev.agentchat.ports.tool;

/** Where a running tool reports progress; each report reaches the client as a {@code trace_update}. */
@FunctionalInterface
public interface ToolProgress {
    ToolProgress IGNORED = progress -> { };

    void report(String progress);
}
