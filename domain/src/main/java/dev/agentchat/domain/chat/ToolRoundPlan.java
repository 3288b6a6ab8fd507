package dev.agentchat.domain.chat;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import dev.agentchat.domain.tool.ToolDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which tool calls of one model call run at once, which wait for a person's approval, and which wait for
 * the client, whose own tools they call (the client runs those, and gives their results in a later
 * request). Calls that need no approval run at once, before the run pauses: a person deciding sees their
 * results first, and the run keeps nothing half-done while it waits. One pause holds both kinds of
 * waiting call. A call of a tool the agent lacks is not one to approve: it runs at once, and is refused
 * as every such call is.
 *
 * @param runNow        the calls to run at once, with where each stands among the model call's calls
 * @param awaitApproval the calls that wait for approval, likewise
 * @param awaitClient   the calls of the client's own tools, likewise
 */
public record ToolRoundPlan(List<PlannedCall> runNow, List<PlannedCall> awaitApproval, List<PlannedCall> awaitClient) {
    public ToolRoundPlan {
        runNow = List.copyOf(runNow);
        awaitApproval = List.copyOf(awaitApproval);
        awaitClient = List.copyOf(awaitClient);
    }

    /** A plan with no call of the client's own tools. */
    public ToolRoundPlan(List<PlannedCall> runNow, List<PlannedCall> awaitApproval) {
        this(runNow, awaitApproval, List.of());
    }

    /** The plan for {@code calls}, asked of {@code agent}'s model in this order. */
    public static ToolRoundPlan of(Agent agent, List<ToolCallRequest> calls) {
        return of(agent, Set.of(), calls);
    }

    /**
     * The plan for {@code calls}, asked of {@code agent}'s model in this order, the model having been
     * offered the client's own tools named {@code clientTools} too (none is named like one of the agent's,
     * {@link Agent#checkClientTools}).
     */
    public static ToolRoundPlan of(Agent agent, Set<String> clientTools, List<ToolCallRequest> calls) {
        return of(agent, List.of(), clientTools, calls);
    }

    /**
     * The plan for {@code calls}, the model having been offered {@code agentTools} of the agent's and the client's
     * own tools named {@code clientTools}: whether a call waits for approval goes by the tool the model knows by
     * the call's name (a tool server's is listed by another name than the model's); a name none of
     * {@code agentTools} has is taken as the name the tool is listed by.
     */
    public static ToolRoundPlan of(Agent agent, List<ToolDefinition> agentTools, Set<String> clientTools,
                                   List<ToolCallRequest> calls) {
        List<PlannedCall> now = new ArrayList<>();
        List<PlannedCall> approval = new ArrayList<>();
        List<PlannedCall> client = new ArrayList<>();
        for (int position = 0; position < calls.size(); position++) {
            ToolCallRequest call = calls.get(position);
            String listedAs = agentTools.stream().filter(tool -> tool.name().equals(call.toolName())).findFirst()
                    .map(ToolDefinition::listedAs).orElse(call.toolName());
            List<PlannedCall> kind = clientTools.contains(call.toolName()) ? client
                    : agent.needsApproval(listedAs) ? approval : now;
            kind.add(new PlannedCall(position, call));
        }
        return new ToolRoundPlan(now, approval, client);
    }

    /** True when the run must pause, for approval or for the client, after running the other calls. */
    public boolean pauses() {
        return !awaitApproval.isEmpty() || !awaitClient.isEmpty();
    }

    /** Every call that waits, of either kind, in the order the model asked for them. */
    public List<PlannedCall> waiting() {
        return Stream.concat(awaitApproval.stream(), awaitClient.stream())
                .sorted(Comparator.comparingInt(PlannedCall::position)).toList();
    }

    /** True when {@code call} is one of the calls that wait for the client. */
    public boolean isForClient(PlannedCall call) {
        return awaitClient.contains(call);
    }

    /** A tool call the model asked for, and where it stands among its model call's calls, from 0. */
    public record PlannedCall(int position, ToolCallRequest request) {
        public PlannedCall {
            if (position < 0) {
                throw new IllegalArgumentException("positions count from 0, was " + position);
            }
            Objects.requireNonNull(request, "request");
        }
    }
}
