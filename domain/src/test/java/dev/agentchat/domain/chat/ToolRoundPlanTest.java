package dev.agentchat.domain.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import dev.agentchat.domain.chat.ToolRoundPlan.PlannedCall;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolRoundPlanTest {
    private static final Agent OPS = new Agent(AgentId.of("ops-assistant"), Set.of(), "Ops", "", "Be careful.",
            List.of("calculator", "current_time"), List.of("calculator"), Agent.DEFAULT_HISTORY_TOKEN_BUDGET,
            ModelSettings.DEFAULTS, AgentStatus.ACTIVE, Map.of(), 1, Instant.EPOCH, Instant.EPOCH);
    private static final ToolCallRequest CLOCK = new ToolCallRequest("call-0", "current_time", "{}");
    private static final ToolCallRequest SUM = new ToolCallRequest("call-1", "calculator", "{\"expression\":\"6*7\"}");
    private static final ToolCallRequest UNKNOWN = new ToolCallRequest("call-2", "delete_everything", "{}");
    private static final ToolCallRequest PRODUCT = new ToolCallRequest("call-3", "calculator", "{\"expression\":\"2*3\"}");

    @Test
    void calls_of_tools_that_need_approval_wait_and_the_others_run_at_once_each_keeping_its_place() {
        // when
        ToolRoundPlan plan = ToolRoundPlan.of(OPS, List.of(CLOCK, SUM, UNKNOWN, PRODUCT));

        // then
        assertThat(plan.pauses()).isTrue();
        assertThat(plan.runNow()).containsExactly(new PlannedCall(0, CLOCK), new PlannedCall(2, UNKNOWN));
        assertThat(plan.awaitApproval()).containsExactly(new PlannedCall(1, SUM), new PlannedCall(3, PRODUCT));
    }

    @Test
    void calls_of_the_clients_own_tools_wait_for_the_client_beside_those_that_wait_for_approval() {
        // given
        ToolCallRequest where = new ToolCallRequest("call-4", "get_location", "{}");

        // when
        ToolRoundPlan plan = ToolRoundPlan.of(OPS, Set.of("get_location"), List.of(CLOCK, where, SUM, UNKNOWN));

        // then
        assertThat(plan.pauses()).isTrue();
        assertThat(plan.runNow()).containsExactly(new PlannedCall(0, CLOCK), new PlannedCall(3, UNKNOWN));
        assertThat(plan.awaitApproval()).containsExactly(new PlannedCall(2, SUM));
        assertThat(plan.awaitClient()).containsExactly(new PlannedCall(1, where));
        assertThat(plan.waiting()).containsExactly(new PlannedCall(1, where), new PlannedCall(2, SUM));
        assertThat(plan.isForClient(new PlannedCall(1, where))).isTrue();
        assertThat(plan.isForClient(new PlannedCall(2, SUM))).isFalse();
    }

    @Test
    void a_round_whose_only_waiting_call_is_the_clients_pauses() {
        // when
        ToolRoundPlan plan = ToolRoundPlan.of(OPS, Set.of("get_location"),
                List.of(CLOCK, new ToolCallRequest("call-4", "get_location", "{}")));

        // then
        assertThat(plan.pauses()).isTrue();
        assertThat(plan.awaitApproval()).isEmpty();
        assertThat(plan.runNow()).containsExactly(new PlannedCall(0, CLOCK));
    }

    @Test
    void a_round_without_a_call_that_needs_approval_runs_whole_and_does_not_pause() {
        // when
        ToolRoundPlan plan = ToolRoundPlan.of(OPS, List.of(CLOCK, UNKNOWN));

        // then
        assertThat(plan.pauses()).isFalse();
        assertThat(plan.runNow()).containsExactly(new PlannedCall(0, CLOCK), new PlannedCall(1, UNKNOWN));
        assertThat(plan.awaitApproval()).isEmpty();
    }

    @Test
    void a_call_of_a_tool_the_agent_lacks_runs_at_once_to_be_refused_even_if_another_agent_gates_it() {
        // given an agent that names a tool it does not have (as a definition kept before the check)
        Agent odd = new Agent(AgentId.of("odd"), Set.of(), "Odd", "", "", List.of("current_time"),
                List.of("delete_everything"), 0, ModelSettings.DEFAULTS, AgentStatus.ACTIVE, Map.of(), 1, Instant.EPOCH,
                Instant.EPOCH);

        // when
        ToolRoundPlan plan = ToolRoundPlan.of(odd, List.of(UNKNOWN));

        // then
        assertThat(plan.runNow()).containsExactly(new PlannedCall(0, UNKNOWN));
        assertThat(plan.pauses()).isFalse();
    }

    @Test
    void a_round_where_every_call_needs_approval_runs_nothing_at_once() {
        ToolRoundPlan plan = ToolRoundPlan.of(OPS, List.of(SUM, PRODUCT));

        assertThat(plan.runNow()).isEmpty();
        assertThat(plan.awaitApproval()).extracting(PlannedCall::position).containsExactly(0, 1);
    }
}
