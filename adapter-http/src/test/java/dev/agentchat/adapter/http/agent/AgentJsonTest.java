package dev.agentchat.adapter.http.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.JsonRequests;
import dev.agentchat.adapter.http.Samples;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.ports.agent.AgentPage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Agents as JSON: the document as the API has always written it, and definitions read strictly. */
class AgentJsonTest {
    /** Written by the hand-made encoder this one replaced: the same members, order, nulls and timestamps. */
    private static final String AGENT = "{\"id\":\"support-triage\",\"aliases\":[\"help\",\"triage\"],\"name\":\"Support triage\",\"description\":\"Sorts questions\",\"instructions\":\"Be kind.\",\"model\":{\"deployment\":\"gpt-4o\",\"temperature\":null,\"max_output_tokens\":512,\"history_token_budget\":4000},\"tools\":[\"calculator\",\"current_time\"],\"approval_required\":[\"calculator\"],\"status\":\"active\",\"version\":3,\"metadata\":{\"tier\":\"gold \\\"1\\\" 😀\"},\"created_at\":\"2026-03-01T10:15:30.123Z\",\"updated_at\":\"2026-03-01T10:15:31.007Z\"}";
    private static final String PLAIN_AGENT = "{\"id\":\"plain\",\"aliases\":[],\"name\":\"Plain\",\"description\":\"\",\"instructions\":\"Answer.\",\"model\":{\"deployment\":null,\"temperature\":0.2,\"max_output_tokens\":null,\"history_token_budget\":8000},\"tools\":[],\"approval_required\":[],\"status\":\"inactive\",\"version\":1,\"metadata\":{},\"created_at\":\"2026-03-01T10:15:30.123Z\",\"updated_at\":\"2026-03-01T10:15:30.123Z\"}";

    @Test
    void an_agent_is_written_as_before_with_aliases_sorted_and_unset_settings_null() {
        assertThat(Json.encode(AgentJson.AgentBody.of(Samples.agent()))).isEqualTo(AGENT);
        assertThat(Json.encode(AgentJson.AgentBody.of(Samples.plainAgent()))).isEqualTo(PLAIN_AGENT);
    }

    @Test
    void a_page_of_agents_holds_them_and_its_bounds() {
        AgentPage page = new AgentPage(List.of(Samples.agent(), Samples.plainAgent()), 7, 2, 4);

        assertThat(Json.encode(AgentJson.AgentListBody.of(page)))
                .isEqualTo("{\"agents\":[" + AGENT + "," + PLAIN_AGENT + "],\"total\":7,\"limit\":2,\"offset\":4}");
    }

    @Test
    void a_written_agent_reads_back_as_the_same_definition() {
        Agent agent = Samples.agent();

        Agent read = definition(AGENT).toAgent(null);

        assertThat(read.id()).isEqualTo(agent.id());
        assertThat(read.aliases()).isEqualTo(agent.aliases());
        assertThat(read.model()).isEqualTo(agent.model());
        assertThat(read.historyTokenBudget()).isEqualTo(agent.historyTokenBudget());
        assertThat(read.metadata()).isEqualTo(agent.metadata());
        assertThat(read.tools()).isEqualTo(agent.tools());
        assertThat(read.status()).isEqualTo(agent.status());
    }

    @Test
    void absent_members_take_their_defaults_and_an_edit_keeps_the_stored_status() {
        Agent read = definition("{\"name\":\"N\",\"instructions\":\"I\",\"model\":null,\"tools\":null,\"unknown\":[1]}")
                .toAgent("plain", AgentStatus.INACTIVE);

        assertThat(read.description()).isEmpty();
        assertThat(read.tools()).isEmpty();
        assertThat(read.aliases()).isEmpty();
        assertThat(read.metadata()).isEmpty();
        assertThat(read.historyTokenBudget()).isEqualTo(Agent.DEFAULT_HISTORY_TOKEN_BUDGET);
        assertThat(read.status()).isEqualTo(AgentStatus.INACTIVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\":\"N\",\"instructions\":\"I\"}",
            "{\"id\":\"a\",\"name\":5,\"instructions\":\"I\"}",
            "{\"id\":\"a\",\"name\":\"N\"}",
            "{\"id\":\"a\",\"name\":\"N\",\"instructions\":\"I\",\"tools\":\"calculator\"}",
            "{\"id\":\"a\",\"name\":\"N\",\"instructions\":\"I\",\"tools\":[\"calculator\",null]}",
            "{\"id\":\"a\",\"name\":\"N\",\"instructions\":\"I\",\"aliases\":[1]}",
            "{\"id\":\"a\",\"name\":\"N\",\"instructions\":\"I\",\"metadata\":{\"k\":1}}",
            "{\"id\":\"a\",\"name\":\"N\",\"instructions\":\"I\",\"metadata\":{\"k\":null}}",
            "{\"id\":\"a\",\"name\":\"N\",\"instructions\":\"I\",\"metadata\":[]}",
            "{\"id\":\"a\",\"name\":\"N\",\"instructions\":\"I\",\"status\":\"retired\"}",
            "{\"id\":\"a\",\"name\":\"N\",\"instructions\":\"I\",\"model\":{\"max_output_tokens\":1.5}}",
            "{\"id\":\"a\",\"name\":\"N\",\"instructions\":\"I\",\"model\":{\"history_token_budget\":\"100\"}}",
            "{\"id\":\"a\",\"name\":\"N\",\"instructions\":\"I\",\"model\":{\"history_token_budget\":1e99}}",
            "{\"id\":\"Not A Slug\",\"name\":\"N\",\"instructions\":\"I\"}"})
    void a_definition_that_breaks_a_rule_is_a_400_that_says_which(String body) {
        assertThatThrownBy(() -> definition(body).toAgent(null))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().code()).isEqualTo("invalid_request");
                    assertThat(e.problem().detail()).matches("'[a-z_.\\[\\]0-9]+' .*|.*\\.");
                });
    }

    @Test
    void an_id_in_the_body_must_be_the_one_in_the_path() {
        assertThatThrownBy(() -> definition("{\"id\":\"other\",\"name\":\"N\",\"instructions\":\"I\"}").toAgent("plain"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().detail()).contains("'id'"));
    }

    @Test
    void an_edited_version_must_be_a_whole_number() {
        assertThat(JsonRequests.bind(tree("{\"version\":3}"), AgentJson.EditedVersion.class).version()).isEqualTo(3L);
        assertThat(JsonRequests.bind(tree("{}"), AgentJson.EditedVersion.class).version()).isNull();
        for (String bad : List.of("{\"version\":3.5}", "{\"version\":\"3\"}", "{\"version\":true}")) {
            assertThatThrownBy(() -> JsonRequests.bind(tree(bad), AgentJson.EditedVersion.class))
                    .isInstanceOfSatisfying(ProblemException.class,
                            e -> assertThat(e.problem().detail()).isEqualTo("'version' must be a whole number."));
        }
    }

    private static AgentJson.AgentDefinition definition(String body) {
        return JsonRequests.bind(tree(body), AgentJson.AgentDefinition.class);
    }

    private static JsonNode tree(String body) {
        return Json.read(body.getBytes(StandardCharsets.UTF_8));
    }
}
