package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.adapter.tools.BuiltInTools;
import dev.agentchat.ports.tool.ToolRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

class AgentRulesTest {

    @Test
    void a_retired_agent_takes_no_new_messages_but_its_threads_stay_readable() {
        try (ServiceUnderTest service = new ServiceUnderTest()) {
            service.model.reply(Reply.text("Hello."));
            String threadId = service.chatToDone("ops-assistant", body("message", "hi")).get("thread_id").asText();
            Agent agent = service.components.agents().find(AgentId.of("ops-assistant")).orElseThrow();
            service.components.agents().update(agent.retired(Instant.now()));

            var refused = service.postJson("/api/agents/azure-ops/chat", body("message", "again", "stream", false));
            var thread = service.get("/api/agents/ops-assistant/threads/" + threadId);

            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(parse(refused.body()).get("code").asText()).isEqualTo("agent_inactive");
            assertThat(thread.statusCode()).isEqualTo(200);
            assertThat(service.model.requests()).hasSize(1);
        }
    }

    @Test
    void the_shipped_agents_are_valid_and_seeding_twice_adds_nothing_and_keeps_edits() {
        List<Agent> shipped = AgentsFile.read(Optional.empty());
        InMemoryAgentStore store = new InMemoryAgentStore();
        ToolRuntime tools = BuiltInTools.all(java.time.Clock.systemUTC());
        int first = AgentSeeding.seed(store, tools, () -> Instant.parse("2026-11-25T00:00:00Z"), shipped, false);
        Agent seeded = store.find(AgentId.of("support-triage")).orElseThrow();
        Agent edited = seeded.revisedTo(new Agent(seeded.id(), seeded.aliases(), "Edited", "", "Edited instructions."),
                Instant.parse("2026-11-25T01:00:00Z"));
        store.update(edited);

        int second = AgentSeeding.seed(store, tools, () -> Instant.parse("2026-11-25T02:00:00Z"), shipped, false);

        assertThat(shipped).extracting(agent -> agent.id().value())
                .containsExactly("support-triage", "ops-assistant", "sql-analyst", "news-digest", "business-impact");
        assertThat(first).as("every shipped agent passes the registry's checks").isEqualTo(5);
        assertThat(second).isZero();
        assertThat(store.list()).hasSize(5);
        assertThat(store.find(AgentId.of("support-triage"))).contains(edited);
        assertThat(store.find(AgentId.of("azure-ops"))).hasValueSatisfying(agent -> assertThat(agent.id().value()).isEqualTo("ops-assistant"));
    }

    @Test
    void seeding_asked_to_overwrite_replaces_edits_with_the_files_definition_as_a_new_version() {
        List<Agent> shipped = AgentsFile.read(Optional.empty());
        InMemoryAgentStore store = new InMemoryAgentStore();
        ToolRuntime tools = BuiltInTools.all(java.time.Clock.systemUTC());
        AgentSeeding.seed(store, tools, Instant::now, shipped, false);
        Agent seeded = store.find(AgentId.of("sql-analyst")).orElseThrow();
        store.update(seeded.revisedTo(new Agent(seeded.id(), Set.of(), "Edited", "", "x"), Instant.now()));

        AgentSeeding.seed(store, tools, Instant::now, shipped, true);

        Agent restored = store.find(AgentId.of("sql-analyst")).orElseThrow();
        assertThat(restored.name()).isEqualTo("SQL analyst");
        assertThat(restored.version()).isEqualTo(3);
    }

    @Test
    void an_agents_file_names_the_agents_to_seed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("agents.json");
        Files.writeString(file, "{\"agents\":[{\"id\":\"only-one\",\"name\":\"Only one\",\"instructions\":\"Hi.\"}]}");

        Settings settings = Settings.load(Map.of("AGENTS_FILE", file.toString()), new String[0]);

        assertThat(settings.agents()).extracting(agent -> agent.id().value()).containsExactly("only-one");
    }

    @Test
    void an_agents_file_that_lists_its_tools_as_anything_but_a_list_of_names_is_refused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("agents.json");
        for (String members : new String[] {"\"approval_required\":\"calculator\"", "\"tools\":[\"calculator\", 7]"}) {
            Files.writeString(file, "{\"agents\":[{\"id\":\"careful\",\"name\":\"Careful\",\"instructions\":\"Hi.\","
                    + "\"tools\":[\"calculator\"]," + members + "}]}");

            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> Settings.load(Map.of("AGENTS_FILE", file.toString()), new String[0]))
                    .as(members).isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("careful")
                    .hasMessageContaining("must be a list of tool names");
        }
    }

    @Test
    void an_agents_file_gates_the_tools_it_names_under_approval_required(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("agents.json");
        Files.writeString(file, "{\"agents\":[{\"id\":\"careful\",\"name\":\"Careful\",\"instructions\":\"Hi.\","
                + "\"tools\":[\"calculator\",\"current_time\"],\"approval_required\":[\"calculator\"]}]}");

        Agent careful = Settings.load(Map.of("AGENTS_FILE", file.toString()), new String[0]).agents().getFirst();

        assertThat(careful.needsApproval("calculator")).isTrue();
        assertThat(careful.needsApproval("current_time")).isFalse();
    }

    @Test
    void overwriting_seeding_changes_nothing_that_already_matches_and_keeps_a_retired_agent_retired() {
        List<Agent> shipped = AgentsFile.read(Optional.empty());
        InMemoryAgentStore store = new InMemoryAgentStore();
        ToolRuntime tools = BuiltInTools.all(java.time.Clock.systemUTC());
        AgentSeeding.seed(store, tools, Instant::now, shipped, false);
        Agent digest = store.find(AgentId.of("news-digest")).orElseThrow();
        store.update(digest.retired(Instant.now()));

        int changed = AgentSeeding.seed(store, tools, Instant::now, shipped, true);

        assertThat(changed).isZero();
        assertThat(store.find(AgentId.of("news-digest"))).hasValueSatisfying(agent -> {
            assertThat(agent.isActive()).isFalse();
            assertThat(agent.version()).isEqualTo(2);
        });
    }

    @Test
    void an_agents_file_naming_a_tool_that_does_not_exist_is_a_clear_configuration_error() {
        Agent wrong = new Agent(AgentId.of("wrong-tools"), Set.of(), "Wrong", "", "x", List.of("teleport"),
                Agent.DEFAULT_HISTORY_TOKEN_BUDGET);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentSeeding.seed(new InMemoryAgentStore(),
                        BuiltInTools.all(java.time.Clock.systemUTC()), Instant::now, List.of(wrong), false))
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("wrong-tools").hasMessageContaining("teleport");
    }
}
