package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.cosmos.CosmosSettings;
import dev.agentchat.adapter.cosmos.CosmosStores;
import dev.agentchat.adapter.cosmos.CosmosTestServer;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.adapter.memory.tool.ScriptedToolRuntime;
import dev.agentchat.domain.chat.FinishReason;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.tool.ToolOutcome;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The service on Cosmos DB: what a turn stored is read back unchanged by a service started afresh. */
class CosmosEndToEndTest {
    private final Map<String, String> cosmos = Map.of(
            "COSMOS_ENDPOINT", CosmosTestServer.endpoint(),
            "COSMOS_KEY", CosmosTestServer.key(),
            "COSMOS_DATABASE_NAME", "agentchat-e2e-" + UUID.randomUUID());

    @Test
    void a_turn_with_a_tool_call_reads_back_unchanged_after_the_service_restarts() {
        ScriptedToolRuntime tools = new ScriptedToolRuntime().tool("search_knowledge_base",
                (args, progress) -> new ToolOutcome.Succeeded("[{\"title\":\"Backup and restore\"}]"));
        String threadId;
        String before;
        try (ServiceUnderTest first = new ServiceUnderTest(cosmos, onCosmos(tools))) {
            first.model.reply(Reply.builder().toolCall("call_1", "search_knowledge_base", "{\"query\":\"restore\"}")
                            .usage(Usage.reported(50, 5)).finish(FinishReason.TOOL_CALLS).build())
                    .reply(Reply.builder().text("Restore from the ").text("latest backup.").usage(Usage.reported(80, 6))
                            .finish(FinishReason.STOP).build());
            JsonNode done = first.chatToDone("support-triage", body("message", "How do I restore my database?"));
            threadId = done.get("thread_id").asText();
            before = first.get("/api/agents/support-triage/threads/" + threadId).body();
        }

        try (ServiceUnderTest second = new ServiceUnderTest(cosmos, onCosmos(tools))) {
            String after = second.get("/api/agents/support-triage/threads/" + threadId).body();

            assertThat(after).isEqualTo(before);
            JsonNode thread = parse(after);
            assertThat(thread.get("messages")).hasSize(2);
            assertThat(thread.get("messages").get(1).get("content").asText()).isEqualTo("Restore from the latest backup.");
            JsonNode run = thread.get("runs").get(0);
            assertThat(run.get("status").asText()).isEqualTo("completed");
            assertThat(run.get("usage").get("total_tokens").asLong()).isEqualTo(141);
            assertThat(run.get("steps")).hasSize(3);
            assertThat(parse(second.get("/api/agents/support-triage/threads").body()).get("total").asLong()).isEqualTo(1);
        }
    }

    @Test
    void a_turn_writes_the_same_number_of_records_however_long_its_answer() {
        ScriptedToolRuntime tools = new ScriptedToolRuntime().tool("search_knowledge_base",
                (args, progress) -> new ToolOutcome.Succeeded("[]"));
        try (ServiceUnderTest service = new ServiceUnderTest(cosmos, onCosmos(tools))) {
            service.model.reply(Reply.text("Short."));
            long shortTurn = writesOf(() -> service.chatToDone("support-triage", body("message", "a")));
            String[] pieces = new String[500];
            java.util.Arrays.fill(pieces, "word ");
            service.model.reply(Reply.text(pieces));
            long longTurn = writesOf(() -> service.chatToDone("support-triage", body("message", "b")));
            service.model.reply(Reply.builder().toolCall("c1", "search_knowledge_base", "{}").finish(FinishReason.TOOL_CALLS).build())
                    .reply(Reply.text("Done."));
            long toolTurn = writesOf(() -> service.chatToDone("support-triage", body("message", "c")));

            // thread, run, user message, model call step, answer, run end; a tool call adds its step twice
            // and a second model call's step
            assertThat(shortTurn).isEqualTo(6);
            assertThat(longTurn).isEqualTo(shortTurn);
            assertThat(toolTurn).isEqualTo(9);
            assertThat(stores.charges().total()).as("request units are reported").isPositive();
        }
    }

    @Test
    void a_restart_seeds_again_without_duplicating_agents_or_undoing_an_edit() {
        Map<String, String> withAdmin = new java.util.HashMap<>(cosmos);
        withAdmin.put("ADMIN_API_KEY", "k");
        ScriptedToolRuntime tools = new ScriptedToolRuntime();
        try (ServiceUnderTest first = new ServiceUnderTest(withAdmin, onCosmosWithAgents())) {
            var edited = first.send(java.net.http.HttpRequest.newBuilder(first.uri("/api/agents/news-digest"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer k").header("If-Match", "\"1\"")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body("name", "Edited digest", "instructions", "Short."))));
            assertThat(edited.statusCode()).isEqualTo(200);
        }

        try (ServiceUnderTest second = new ServiceUnderTest(withAdmin, onCosmosWithAgents())) {
            JsonNode agent = parse(second.get("/api/agents/news-digest").body());
            JsonNode all = parse(second.get("/api/agents?status=all").body());

            assertThat(agent.get("name").asText()).isEqualTo("Edited digest");
            assertThat(agent.get("version").asLong()).isEqualTo(2);
            assertThat(all.get("total").asLong()).isEqualTo(5);
        }
    }

    /** The service on Cosmos DB with its agents there too, seeded as at a real start-up. */
    private UnaryOperator<Components> onCosmosWithAgents() {
        return components -> {
            stores = CosmosStores.connect(CosmosSettings.from(name -> java.util.Optional.ofNullable(cosmos.get(name)))
                    .orElseThrow());
            return components.withStores(stores.threads(), stores.messages(), stores.runs(), stores.steps())
                    .withAgents(stores.agents(), Settings.forTests());
        };
    }

    private CosmosStores stores;

    private long writesOf(Runnable turn) {
        long before = stores.charges().writes();
        turn.run();
        return stores.charges().writes() - before;
    }

    private UnaryOperator<Components> onCosmos(ScriptedToolRuntime tools) {
        return components -> {
            stores = CosmosStores.connect(CosmosSettings.from(name -> java.util.Optional.ofNullable(cosmos.get(name)))
                    .orElseThrow());
            return components.withStores(stores.threads(), stores.messages(), stores.runs(), stores.steps()).withTools(tools);
        };
    }
}
