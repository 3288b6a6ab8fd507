package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as deployed with {@code MCP_SERVERS_FILE}: the tools of a real MCP server (the everything server from
 * npm, over stdio) in an agent's chat and its thread's steps, and a server that cannot start in {@code /health}.
 */
class McpToolsTest {
    private static final String KEY = "admin-key-for-tests";
    /** Long: the server is a Node.js process, started in the background, on a machine that may be busy. */
    private static final Duration STARTING = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    @Test
    void an_agent_given_everything_star_answers_a_chat_by_calling_one_of_that_servers_tools() throws IOException {
        Settings settings = settingsWith("{\"mcpServers\":{\"everything\":" + EverythingServer.stdioEntry() + "}}");
        try (ServiceAsDeployed service = ServiceAsDeployed.start(settings)) {
            // given the server answering, and an agent created through the API with all of its tools
            JsonNode health = Await.read(() -> parse(service.client().get("/health").body()),
                    read -> read.get("status").asText().equals("UP"), STARTING);
            assertThat(health.get("status").asText()).as(health.toString()).isEqualTo("UP");
            JsonNode everything = health.get("tool_servers").get(0);
            assertThat(everything.get("name").asText()).isEqualTo("everything");
            assertThat(everything.get("status").asText()).isEqualTo("up");
            assertThat(everything.get("tools").asInt()).isPositive();
            HttpResponse<String> created = createAgent(service, "everything-demo", List.of("everything/*"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            // when the offline demo model is asked to call a tool of it that needs no arguments
            SseStream.Frames frames;
            try (SseStream stream = service.client().chat("everything-demo",
                    body("message", "Please call everything__get-tiny-image"))) {
                frames = stream.readToEnd();
            }

            // then the call is traced, and is a step of the thread's run with its output and latency
            assertThat(frames.types()).contains("trace_start", "trace_end").last().isEqualTo("done");
            JsonNode end = frames.events().stream().filter(frame -> frame.type().equals("trace_end")).findFirst()
                    .orElseThrow().data();
            assertThat(end.get("status").asText()).as(end.toString()).isEqualTo("completed");
            JsonNode done = frames.last("done");
            JsonNode thread = parse(service.client().get("/api/agents/everything-demo/threads/"
                    + done.get("thread_id").asText()).body());
            JsonNode step = toolStep(thread.get("runs").get(0));
            assertThat(step.get("tool").asText()).isEqualTo("everything__get-tiny-image");
            assertThat(step.get("status").asText()).isEqualTo("completed");
            assertThat(step.get("output").asText()).contains("The image above is the MCP logo.").contains("image/png");
            assertThat(step.get("latency_ms").asLong()).isNotNegative();
        }
    }

    @Test
    void a_slow_tool_of_the_server_reports_progress_as_trace_updates_and_is_stopped_at_the_tool_timeout() throws IOException {
        // given the everything server's long-running operation (10 s, a progress notification every 2 s by
        // default), with calls stopped after 5 s
        Settings settings = settingsWith("{\"mcpServers\":{\"everything\":" + EverythingServer.stdioEntry() + "}}",
                Map.of("TOOL_TIMEOUT_SECONDS", "5"));
        try (ServiceAsDeployed service = ServiceAsDeployed.start(settings)) {
            Await.read(() -> parse(service.client().get("/health").body()),
                    read -> read.get("status").asText().equals("UP"), STARTING);
            HttpResponse<String> created = createAgent(service, "slow-demo", List.of("everything/trigger-long-running-operation"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            // when
            SseStream.Frames frames;
            try (SseStream stream = service.client().chat("slow-demo",
                    body("message", "Please call everything__trigger-long-running-operation"))) {
                frames = stream.readToEnd();
            }

            // then its progress was seen while it ran, and the call was stopped at the timeout, the run going on
            List<String> types = frames.types();
            assertThat(types).contains("trace_update").last().isEqualTo("done");
            assertThat(types.indexOf("trace_update")).isLessThan(types.indexOf("trace_end"));
            JsonNode update = frames.events().get(types.indexOf("trace_update")).data();
            assertThat(update.get("progress").asText()).isNotBlank();
            JsonNode end = frames.events().get(types.indexOf("trace_end")).data();
            assertThat(end.get("status").asText()).as(end.toString()).isEqualTo("failed");
            assertThat(end.get("latency_ms").asLong()).as("stopped at the timeout, before the operation would have ended")
                    .isGreaterThanOrEqualTo(5_000L).isLessThan(10_000L);
        }
    }

    @Test
    void a_run_cancelled_while_a_tool_of_the_server_runs_ends_the_call_at_once_and_the_run_cancelled() throws IOException {
        // given the everything server's long-running operation (10 s), well within the tool timeout
        Settings settings = settingsWith("{\"mcpServers\":{\"everything\":" + EverythingServer.stdioEntry() + "}}", Map.of());
        try (ServiceAsDeployed service = ServiceAsDeployed.start(settings)) {
            Await.read(() -> parse(service.client().get("/health").body()),
                    read -> read.get("status").asText().equals("UP"), STARTING);
            HttpResponse<String> created = createAgent(service, "slow-demo", List.of("everything/trigger-long-running-operation"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            try (SseStream stream = service.client().chat("slow-demo",
                    body("message", "Please call everything__trigger-long-running-operation"))) {
                SseStream.Frame frame = stream.next(Duration.ofSeconds(20));
                while (frame != null && !frame.type().equals("trace_update")) {
                    frame = stream.next(Duration.ofSeconds(20));
                }
                assertThat(frame).as("the call reported progress: it runs").isNotNull();

                // when the run is cancelled while the call runs
                String run = "/api/agents/slow-demo/threads/" + stream.header("X-Thread-Id") + "/runs/"
                        + stream.header("X-Run-Id");
                HttpResponse<String> cancel = service.client().send(HttpRequest.newBuilder(service.client().uri(run + "/cancel"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
                assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);

                // then the call's step ends cancelled, long before the operation would have, and so does the run
                SseStream.Frames rest = stream.readToEnd();
                List<String> types = rest.types();
                assertThat(types).contains("trace_end").last().isEqualTo("error");
                JsonNode end = rest.events().get(types.indexOf("trace_end")).data();
                assertThat(end.get("status").asText()).as(end.toString()).isEqualTo("cancelled");
                assertThat(end.get("latency_ms").asLong()).isLessThan(10_000L);
                assertThat(rest.last("error").get("code").asText()).isEqualTo("cancelled");
                assertThat(parse(service.client().get(run).body()).get("status").asText()).isEqualTo("cancelled");
            }
        }
    }

    @Test
    void a_server_that_cannot_start_leaves_the_service_degraded_naming_it_while_chats_go_on() throws IOException {
        Path missing = folder.resolve("no-such-mcp-server");
        Settings settings = settingsWith("{\"mcpServers\":" + body("broken", Map.of("command", missing.toString())) + "}");
        try (ServiceAsDeployed service = ServiceAsDeployed.start(settings)) {
            // when (its first attempt to start has failed by then)
            Await.read(() -> parse(service.client().get("/health").body()),
                    read -> read.get("tool_servers").get(0).get("problem").asText().contains("no-such-mcp-server"), STARTING);
            HttpResponse<String> healthResponse = service.client().get("/health");
            JsonNode health = parse(healthResponse.body());
            HttpResponse<String> unknownServer = createAgent(service, "nowhere", List.of("nosuch/*"));
            HttpResponse<String> downServer = createAgent(service, "broken-ops", List.of("current_time", "broken/restart"));
            SseStream.Frames chat;
            try (SseStream stream = service.client().chat("support-triage", body("message", "Hello"))) {
                chat = stream.readToEnd();
            }

            // then
            assertThat(healthResponse.statusCode()).isEqualTo(200);
            assertThat(health.get("status").asText()).isEqualTo("DEGRADED");
            JsonNode broken = health.get("tool_servers").get(0);
            assertThat(broken.get("name").asText()).isEqualTo("broken");
            assertThat(broken.get("status").asText()).isEqualTo("unreachable");
            assertThat(broken.get("problem").asText()).as("why").contains("no-such-mcp-server");
            assertThat(unknownServer.statusCode()).isEqualTo(422);
            assertThat(parse(unknownServer.body()).get("code").asText()).isEqualTo("invalid_agent");
            assertThat(parse(unknownServer.body()).get("detail").asText()).contains("'nosuch'").contains("[broken]");
            assertThat(downServer.statusCode()).as("a tool of a server down now cannot be checked: " + downServer.body())
                    .isEqualTo(201);
            assertThat(chat.types()).last().isEqualTo("done");
        }
    }

    @Test
    void the_agents_file_may_list_a_configured_servers_tools_before_it_answers_but_no_unknown_server() throws IOException {
        // given a server that never answers, and agents files listing its tools or another server's
        String servers = "{\"mcpServers\":" + body("broken", Map.of("command", folder.resolve("nothing").toString())) + "}";
        Path listingBroken = Files.writeString(folder.resolve("broken-agents.json"), "{\"agents\":[" + body("id", "ops",
                "name", "Ops", "instructions", "Operate.", "tools", List.of("broken/*", "broken/restart"),
                "approval_required", List.of("broken/restart")) + "]}");
        Path listingUnknown = Files.writeString(folder.resolve("unknown-agents.json"), "{\"agents\":[" + body("id", "ops",
                "name", "Ops", "instructions", "Operate.", "tools", List.of("nosuch/*")) + "]}");

        // when / then
        try (ServiceAsDeployed service = ServiceAsDeployed.start(settingsWith(servers, Map.of("AGENTS_FILE",
                listingBroken.toString())))) {
            JsonNode ops = parse(service.client().get("/api/agents/ops").body());
            assertThat(ops.get("tools")).extracting(JsonNode::asText).containsExactly("broken/*", "broken/restart");
        }
        assertThatThrownBy(() -> Main.chooseComponents(settingsWith(servers, Map.of("AGENTS_FILE",
                listingUnknown.toString()))).build().close())
                .isInstanceOf(Settings.InvalidSettings.class)
                .hasMessageContaining("agent ops").hasMessageContaining("'nosuch'").hasMessageContaining("[broken]");
    }

    @Test
    void a_servers_file_that_cannot_be_used_refuses_start_up_naming_the_setting_and_what_is_wrong() throws IOException {
        // given a server whose environment names a variable that is not set
        Settings settings = settingsWith("{\"mcpServers\":{\"azure\":{\"command\":\"npx\",\"env\":"
                + "{\"AZURE_CLIENT_SECRET\":\"${AGENTCHAT_TEST_VARIABLE_NOBODY_SETS}\"}}}}");

        // when / then
        assertThatThrownBy(() -> Main.chooseComponents(settings).build().close())
                .isInstanceOf(Settings.InvalidSettings.class)
                .hasMessageStartingWith("MCP_SERVERS_FILE: ")
                .hasMessageContaining("azure").hasMessageContaining("AGENTCHAT_TEST_VARIABLE_NOBODY_SETS");
    }

    @Test
    void an_agents_file_tool_its_server_does_not_list_once_it_answers_is_warned_of_naming_agent_server_and_tool() {
        // given agents of the file, seeded before the server answered
        Agent ops = new Agent(AgentId.of("ops"), Set.of(), "Ops", "", "x",
                List.of("azure/list_groups", "azure/list_group", "everything/echo"), Agent.DEFAULT_HISTORY_TOKEN_BUDGET);
        Agent all = new Agent(AgentId.of("all"), Set.of(), "All", "", "x", List.of("azure/*"), Agent.DEFAULT_HISTORY_TOKEN_BUDGET);

        // when the server lists its tools
        List<String> warnings = AgentSeeding.warnOfToolsNotListed(List.of(ops, all), "azure", Set.of("list_groups", "get_cost"));

        // then
        assertThat(warnings).singleElement().satisfies(warning -> assertThat(warning)
                .contains("ops", "azure/list_group,", "MCP server azure").doesNotContain("list_groups", "everything"));
    }

    private Settings settingsWith(String mcpServers) throws IOException {
        return settingsWith(mcpServers, Map.of());
    }

    private Settings settingsWith(String mcpServers, Map<String, String> more) throws IOException {
        Path file = Files.writeString(folder.resolve("mcp.json"), mcpServers);
        Map<String, String> values = new java.util.HashMap<>(more);
        values.put("MCP_SERVERS_FILE", file.toString());
        values.put("ADMIN_API_KEY", KEY);
        return Settings.forTests(values);
    }

    private static HttpResponse<String> createAgent(ServiceAsDeployed service, String id, List<String> tools) {
        return service.client().send(HttpRequest.newBuilder(service.client().uri("/api/agents"))
                .POST(HttpRequest.BodyPublishers.ofString(body("id", id, "name", id, "instructions", "Use your tools.",
                        "tools", tools)))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY));
    }

    private static JsonNode toolStep(JsonNode run) {
        for (JsonNode step : run.get("steps")) {
            if (step.get("type").asText().equals("tool_call")) {
                return step;
            }
        }
        throw new AssertionError("no tool call among the steps of " + run);
    }
}
