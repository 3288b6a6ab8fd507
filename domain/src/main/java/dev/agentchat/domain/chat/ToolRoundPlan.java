package dev.agentchat.domain.chat;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which tool calls of one model call run at once and which wait for a person's approval. Calls that
 * need no approval run at once, before the run pauses: a person deciding sees their results first,
 * and the run keeps nothing half-done while it waits. A call of a tool the agent lacks is not one to
 * approve: it runs at once, and is refused as every such call is.
 *
 * @param runNow        the calls to run at once, with where each stands among the model call's calls
 * @param awaitApproval the calls that wait, likewise
 */
public record ToolRoundPlan(List<PlannedCall> runNow, List<PlannedCall> awaitApproval) {
    public ToolRoundPlan {
        runNow = List.copyOf(runNow);
        awaitApproval = List.copyOf(awaitApproval);
    }

    /** The plan for {@code calls}, asked of {@code agent}'s model in this order. */
    public static ToolRoundPlan of(Agent agent, List<ToolCallRequest> calls) {
        List<PlannedCall> now = new ArrayList<>();
        List<PlannedCall> waiting = new ArrayList<>();
        for (int position = 0; position < calls.size(); position++) {
            ToolCallRequest call = calls.get(position);
            (agent.needsApproval(call.toolName()) ? waiting : now).add(new PlannedCall(position, call));
        }
        return new ToolRoundPlan(now, waiting);
    }

    /** True when the run must pause for approval after running the other calls. */
    public boolean pauses() {
        return !awaitApproval.isEmpty();
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
