package dev.agentchat.adapter.prometheus;

import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Work;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The tool calls a run makes, and the requests to tool servers (MCP) they and the catalog make; the
 * latter as OpenTelemetry's MCP conventions name them ({@code mcp.client.operation.duration}).
 */
final class ToolMeters {
    static final String TOOL_CALL_DURATION = "agentchat.tool.call.duration";
    static final String MCP_CLIENT_DURATION = "mcp.client.operation.duration";

    /** The MCP conventions' buckets, in seconds; tools run long, so they are the tool calls' too. */
    private static final double[] SECONDS_BUCKETS = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300};

    private final MeterRegistry registry;
    private final Labels labels;

    ToolMeters(MeterRegistry registry, Labels labels) {
        this.registry = registry;
        this.labels = labels;
    }

    /** The tool label of a call of a tool the turn did not offer. */
    static final String NOT_OFFERED = "_OTHER";

    /**
     * A tool call ended: by tool and by its step's status ({@code completed}, {@code failed}, {@code cancelled},
     * or {@code denied}). A tool the turn did not offer (a name the model made up) is counted as {@code _OTHER}: the
     * model must not be able to fill the label's values with names of its own.
     */
    void ended(Work.ToolCall call, Outcome outcome, Measured.Took took) {
        String status = outcome instanceof Outcome.ToolEnded ended
                ? ended.step().status().wireName()
                : ErrorType.of(outcome).isEmpty() ? "completed" : "failed";
        Timer.builder(TOOL_CALL_DURATION).description("Duration of the tool calls of runs, by tool and outcome.")
                .tags(labels.of(Labels.TOOL, call.offered() ? call.toolName() : NOT_OFFERED, Labels.TOOL_CALL_STATUS, status))
                .serviceLevelObjectives(Durations.ofSeconds(SECONDS_BUCKETS)).register(registry)
                .record(took.total());
    }

    /** A request to a tool server ended. */
    void ended(Work.ToolServerCall call, Outcome outcome, Measured.Took took) {
        Timer.builder(MCP_CLIENT_DURATION)
                .description("The duration of the MCP request or notification as observed on the sender.")
                .tags(labels.of(Labels.MCP_METHOD, call.method(), Labels.TOOL, call.tool().orElse(CappedLabel.ABSENT),
                        Labels.TOOL_SERVER, call.server(), Labels.NETWORK_TRANSPORT, call.transport(),
                        Labels.ERROR_TYPE, ErrorType.of(outcome)))
                .serviceLevelObjectives(Durations.ofSeconds(SECONDS_BUCKETS)).register(registry)
                .record(took.total());
    }
}
