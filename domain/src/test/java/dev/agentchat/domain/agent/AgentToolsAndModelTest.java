package dev.agentchat.domain.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.refusal.ClientToolClash;
import dev.agentchat.domain.refusal.InvalidAgent;
import dev.agentchat.domain.tool.ToolAccess;
import dev.agentchat.domain.tool.ToolDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentToolsAndModelTest {
    private static final ToolDefinition CALCULATOR = tool("calculator");
    private static final ToolDefinition SEARCH = tool("knowledge_search");
    private static final ToolDefinition CLOCK = tool("current_time");

    @Test
    void an_agent_may_call_the_tools_it_was_given() {
        // given
        Agent agent = agentWithTools("calculator");

        // when
        ToolAccess access = agent.accessTo("calculator");

        // then
        assertThat(access).isInstanceOf(ToolAccess.Allowed.class);
    }

    @Test
    void a_tool_the_agent_was_not_given_is_refused_with_words_for_the_model() {
        // given
        Agent agent = agentWithTools("calculator");

        // when
        ToolAccess access = agent.accessTo("delete_everything");

        // then
        assertThat(access).isEqualTo(new ToolAccess.Refused("There is no tool named 'delete_everything' for this agent."));
    }

    @Test
    void the_client_may_bring_tools_of_its_own_but_none_named_like_the_agents() {
        // given
        Agent agent = agentWithTools("calculator", "current_time");

        // when / then
        agent.checkClientTools(List.of(tool("get_location"), SEARCH));
        assertThatThrownBy(() -> agent.checkClientTools(List.of(tool("get_location"), CALCULATOR, CLOCK)))
                .isInstanceOfSatisfying(ClientToolClash.class,
                        clash -> assertThat(clash.tools()).containsExactly("calculator", "current_time"));
    }

    @Test
    void the_model_is_told_only_of_the_agents_own_tools_in_the_order_they_are_available() {
        // given
        Agent agent = agentWithTools("current_time", "calculator");

        // when
        List<ToolDefinition> offered = agent.toolsOffered(List.of(CALCULATOR, SEARCH, CLOCK));

        // then
        assertThat(offered).containsExactly(CALCULATOR, CLOCK);
    }

    @Test
    void an_agent_that_names_its_own_deployment_calls_it_rather_than_the_default() {
        // given
        Agent own = agentWithModel(new ModelSettings("gpt-4o", null, null));
        Agent plain = agentWithModel(ModelSettings.DEFAULTS);

        // when
        String ownModel = own.modelName("gpt-4o-mini");
        String plainModel = plain.modelName("gpt-4o-mini");

        // then
        assertThat(ownModel).isEqualTo("gpt-4o");
        assertThat(plainModel).isEqualTo("gpt-4o-mini");
        assertThat(new ModelSettings("llama3.1", 0.2, null).deploymentOr("gpt-4o-mini")).isEqualTo("llama3.1");
    }

    @Test
    void a_definition_naming_only_known_tools_with_slug_ids_may_be_kept() {
        agentWithTools("calculator").checkDefinable(List.of("calculator", "current_time"));
    }

    @Test
    void a_definition_is_refused_for_an_unknown_tool_an_id_or_an_alias_that_is_not_a_slug() {
        assertThatThrownBy(() -> agentWithTools("delete_everything").checkDefinable(List.of("calculator")))
                .isInstanceOf(InvalidAgent.class)
                .hasMessage("There is no tool named 'delete_everything'; the tools are [calculator].");
        assertThatThrownBy(() -> new Agent(AgentId.of("Helper_Bot"), Set.of(), "Helper", "", "Be brief.")
                .checkDefinable(List.of())).isInstanceOf(InvalidAgent.class).hasMessageStartingWith("The id 'Helper_Bot' is not a slug");
        assertThatThrownBy(() -> new Agent(AgentId.of("helper"), Set.of(AgentId.of("a--b")), "Helper", "", "Be brief.")
                .checkDefinable(List.of())).isInstanceOf(InvalidAgent.class).hasMessage("The alias 'a--b' is not a slug.");
    }

    @Test
    void a_definition_is_refused_for_an_approval_required_name_that_is_not_one_of_its_tools() {
        // given
        Agent agent = agentNeedingApproval(List.of("calculator"), List.of("restart_service"));

        // when / then
        assertThatThrownBy(() -> agent.checkDefinable(List.of("calculator", "restart_service")))
                .isInstanceOf(InvalidAgent.class)
                .hasMessage("'approval_required' names 'restart_service', which is not one of this agent's tools [calculator].");
        agentNeedingApproval(List.of("calculator"), List.of("calculator")).checkDefinable(List.of("calculator"));
    }

    @Test
    void only_the_calls_of_its_own_tools_named_approval_required_wait_for_a_person() {
        // given
        Agent agent = agentNeedingApproval(List.of("calculator", "current_time"), List.of("calculator"));

        // when / then
        assertThat(agent.needsApproval("calculator")).isTrue();
        assertThat(agent.needsApproval("current_time")).isFalse();
        assertThat(agent.needsApproval("restart_service")).isFalse();
        assertThat(agentWithTools("calculator").needsApproval("calculator")).as("none by default").isFalse();
    }

    @Test
    void a_tool_named_twice_as_approval_required_is_kept_once() {
        assertThat(agentNeedingApproval(List.of("calculator"), List.of("calculator", "calculator")).approvalRequired())
                .containsExactly("calculator");
    }

    @Test
    void saving_revising_and_retiring_an_agent_keep_which_tools_need_approval() {
        // given
        Agent defined = agentNeedingApproval(List.of("calculator", "current_time"), List.of("calculator"));
        Agent edited = agentNeedingApproval(List.of("calculator", "current_time"), List.of("current_time"));
        Instant now = Instant.parse("2025-03-01T12:00:00Z");

        // when
        Agent saved = defined.savedFirst(now);
        Agent revised = saved.revisedTo(edited, now.plusSeconds(1));
        Agent retired = revised.retired(now.plusSeconds(2));

        // then
        assertThat(saved.approvalRequired()).containsExactly("calculator");
        assertThat(revised.approvalRequired()).containsExactly("current_time");
        assertThat(retired.approvalRequired()).containsExactly("current_time");
        assertThat(retired.isActive()).isFalse();
    }

    private static Agent agentNeedingApproval(List<String> tools, List<String> approvalRequired) {
        return new Agent(AgentId.of("helper"), Set.of(), "Helper", "", "Be brief.", tools, approvalRequired,
                Agent.DEFAULT_HISTORY_TOKEN_BUDGET, ModelSettings.DEFAULTS, AgentStatus.ACTIVE, Map.of(), 1, Instant.EPOCH,
                Instant.EPOCH);
    }

    private static Agent agentWithTools(String... tools) {
        return new Agent(AgentId.of("helper"), Set.of(), "Helper", "", "Be brief.", List.of(tools),
                Agent.DEFAULT_HISTORY_TOKEN_BUDGET);
    }

    private static Agent agentWithModel(ModelSettings model) {
        return new Agent(AgentId.of("helper"), Set.of(), "Helper", "", "Be brief.", List.of(),
                Agent.DEFAULT_HISTORY_TOKEN_BUDGET, model, AgentStatus.ACTIVE, Map.of(), 1, Instant.EPOCH, Instant.EPOCH);
    }

    private static ToolDefinition tool(String name) {
        return new ToolDefinition(name, "A tool.", "{\"type\":\"object\"}");
    }
}
