package dev.agentchat.domain.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.chat.ModelStreamItem.ToolCallRequest;
import dev.agentchat.domain.chat.ToolRoundPlan;
import dev.agentchat.domain.refusal.ClientToolClash;
import dev.agentchat.domain.refusal.InvalidAgent;
import dev.agentchat.domain.tool.ToolAccess;
import dev.agentchat.domain.tool.ToolCatalog;
import dev.agentchat.domain.tool.ToolDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An agent's tools of tool servers (MCP servers), listed as {@code SERVER/TOOL} or {@code SERVER/*}. */
class AgentToolServerToolsTest {
    private static final ToolDefinition CALCULATOR = new ToolDefinition("calculator", "Adds.", "{\"type\":\"object\"}");
    private static final ToolDefinition ECHO = serverTool("everything__echo", "everything/echo");
    private static final ToolDefinition ADD = serverTool("everything__add", "everything/add");
    private static final ToolDefinition FILES_ECHO = serverTool("files__echo", "files/echo");
    private static final List<ToolDefinition> AVAILABLE = List.of(CALCULATOR, ECHO, ADD, FILES_ECHO);
    private static final ToolCatalog CATALOG = new ToolCatalog(List.of("calculator", "current_time"), List.of(
            new ToolCatalog.Server("everything", Optional.of(List.of("echo", "add"))),
            new ToolCatalog.Server("azure", Optional.empty())));

    @Test
    void an_agent_listing_a_servers_star_is_offered_all_of_that_servers_tools_and_no_others() {
        // given
        Agent agent = agent(List.of("calculator", "everything/*"), List.of());

        // when
        List<ToolDefinition> offered = agent.toolsOffered(AVAILABLE);

        // then
        assertThat(offered).containsExactly(CALCULATOR, ECHO, ADD);
    }

    @Test
    void an_agent_listing_one_tool_of_a_server_is_offered_that_tool_only() {
        // given
        Agent agent = agent(List.of("everything/echo"), List.of());

        // when
        List<ToolDefinition> offered = agent.toolsOffered(AVAILABLE);

        // then
        assertThat(offered).containsExactly(ECHO);
    }

    @Test
    void a_models_call_is_allowed_by_the_name_the_model_knows_the_tool_by_not_the_name_it_is_listed_by() {
        // given
        Agent agent = agent(List.of("everything/echo"), List.of());

        // when
        ToolAccess byModelName = agent.accessTo("everything__echo", AVAILABLE);
        ToolAccess otherServer = agent.accessTo("files__echo", AVAILABLE);
        ToolAccess byListedName = agent.accessTo("everything/echo", AVAILABLE);

        // then
        assertThat(byModelName).isEqualTo(ToolAccess.ALLOWED);
        assertThat(otherServer).isEqualTo(new ToolAccess.Refused("There is no tool named 'files__echo' for this agent."));
        assertThat(byListedName).isInstanceOf(ToolAccess.Refused.class);
    }

    @Test
    void approval_listed_for_a_servers_star_or_one_of_its_tools_holds_every_call_of_those_tools() {
        // given
        Agent allOfThem = agent(List.of("everything/*", "files/*"), List.of("everything/*"));
        Agent oneOfThem = agent(List.of("everything/*"), List.of("everything/add"));

        // when / then
        assertThat(allOfThem.needsApproval(ECHO)).isTrue();
        assertThat(allOfThem.needsApproval(ADD)).isTrue();
        assertThat(allOfThem.needsApproval(FILES_ECHO)).isFalse();
        assertThat(oneOfThem.needsApproval(ADD)).isTrue();
        assertThat(oneOfThem.needsApproval(ECHO)).isFalse();
    }

    @Test
    void a_round_plan_holds_a_call_for_approval_by_the_tool_it_calls() {
        // given
        Agent agent = agent(List.of("everything/*"), List.of("everything/add"));
        List<ToolCallRequest> calls = List.of(new ToolCallRequest("c1", "everything__echo", "{}"),
                new ToolCallRequest("c2", "everything__add", "{}"));

        // when
        ToolRoundPlan plan = ToolRoundPlan.of(agent, agent.toolsOffered(AVAILABLE), Set.of(), calls);

        // then
        assertThat(plan.runNow()).extracting(call -> call.request().toolName()).containsExactly("everything__echo");
        assertThat(plan.awaitApproval()).extracting(call -> call.request().toolName()).containsExactly("everything__add");
    }

    @Test
    void a_client_tool_named_like_a_servers_tool_the_model_is_offered_is_refused() {
        // given
        Agent agent = agent(List.of("everything/*"), List.of());

        // when / then
        agent.checkClientTools(List.of(serverTool("files__echo", "files__echo")), AVAILABLE);
        assertThatThrownBy(() -> agent.checkClientTools(List.of(new ToolDefinition("everything__echo", "Mine.",
                "{\"type\":\"object\"}")), AVAILABLE))
                .isInstanceOfSatisfying(ClientToolClash.class,
                        clash -> assertThat(clash.tools()).containsExactly("everything__echo"));
    }

    @Test
    void an_agent_may_list_a_configured_servers_star_its_tools_and_any_tool_of_a_server_not_reachable_now() {
        agent(List.of("calculator", "everything/*", "everything/echo", "azure/storage", "azure/*"), List.of())
                .checkDefinable(CATALOG);
    }

    @Test
    void an_agent_listing_a_server_that_is_not_configured_is_refused_naming_it_and_the_servers_there_are() {
        assertThatThrownBy(() -> agent(List.of("nosuch/*"), List.of()).checkDefinable(CATALOG))
                .isInstanceOf(InvalidAgent.class)
                .hasMessage("There is no tool server named 'nosuch' (in 'nosuch/*'); the tool servers are [everything, azure].");
        assertThatThrownBy(() -> agent(List.of("nosuch/echo"), List.of()).checkDefinable(ToolCatalog.of(List.of("calculator"))))
                .isInstanceOf(InvalidAgent.class)
                .hasMessage("There is no tool server named 'nosuch' (in 'nosuch/echo'); none is configured.");
    }

    @Test
    void an_agent_listing_a_tool_a_reachable_server_lacks_is_refused_naming_the_tools_it_has() {
        assertThatThrownBy(() -> agent(List.of("everything/delete_all"), List.of()).checkDefinable(CATALOG))
                .isInstanceOf(InvalidAgent.class)
                .hasMessage("The tool server 'everything' has no tool named 'delete_all'; its tools are [echo, add].");
        assertThatThrownBy(() -> agent(List.of("everything/"), List.of()).checkDefinable(CATALOG))
                .isInstanceOf(InvalidAgent.class).hasMessageStartingWith("'everything/' names no tool");
    }

    @Test
    void approval_for_a_server_tool_must_be_covered_by_the_agents_tools() {
        agent(List.of("everything/*"), List.of("everything/echo", "everything/*")).checkDefinable(CATALOG);
        agent(List.of("everything/echo"), List.of("everything/echo")).checkDefinable(CATALOG);
        assertThatThrownBy(() -> agent(List.of("everything/echo"), List.of("everything/*")).checkDefinable(CATALOG))
                .isInstanceOf(InvalidAgent.class)
                .hasMessage("'approval_required' names 'everything/*', which is not one of this agent's tools [everything/echo].");
        assertThatThrownBy(() -> agent(List.of("everything/echo"), List.of("everything/add")).checkDefinable(CATALOG))
                .isInstanceOf(InvalidAgent.class);
    }

    @Test
    void approval_for_a_tool_a_reachable_server_lacks_is_refused_rather_than_saved_as_guarding_nothing() {
        assertThatThrownBy(() -> agent(List.of("everything/*"), List.of("everything/ech")).checkDefinable(CATALOG))
                .isInstanceOf(InvalidAgent.class)
                .hasMessage("'approval_required': The tool server 'everything' has no tool named 'ech'; its tools are [echo, add].");
        assertThatThrownBy(() -> agent(List.of("everything/*"), List.of("everything/")).checkDefinable(CATALOG))
                .isInstanceOf(InvalidAgent.class).hasMessageStartingWith("'approval_required': 'everything/' names no tool");
        agent(List.of("azure/*"), List.of("azure/storage_delete")).checkDefinable(CATALOG);
    }

    private static ToolDefinition serverTool(String name, String listedAs) {
        return new ToolDefinition(name, "A server's tool.", "{\"type\":\"object\"}", listedAs);
    }

    private static Agent agent(List<String> tools, List<String> approvalRequired) {
        return new Agent(AgentId.of("ops"), Set.of(), "Ops", "", "Be brief.", tools, approvalRequired,
                Agent.DEFAULT_HISTORY_TOKEN_BUDGET, ModelSettings.DEFAULTS, AgentStatus.ACTIVE, Map.of(), 1, Instant.EPOCH,
                Instant.EPOCH);
    }
}
