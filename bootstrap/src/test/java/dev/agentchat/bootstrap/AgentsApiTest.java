package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.memory.model.Reply;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent registry over real sockets. */
class AgentsApiTest {
    private static final String KEY = "admin-key-for-tests";
    private ServiceUnderTest service;

    @BeforeEach
    void start() {
        service = new ServiceUnderTest(Map.of("ADMIN_API_KEY", KEY), UnaryOperator.identity());
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void the_seeded_agents_are_listed_and_read_by_id_or_alias_with_their_version_as_etag() {
        JsonNode list = parse(service.get("/api/agents").body());
        HttpResponse<String> byAlias = service.get("/api/agents/azure-ops");

        assertThat(list.get("total").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(list.get("agents")).extracting(agent -> agent.get("id").asText()).contains("support-triage", "ops-assistant");
        assertThat(byAlias.statusCode()).isEqualTo(200);
        JsonNode agent = parse(byAlias.body());
        assertThat(agent.get("id").asText()).isEqualTo("ops-assistant");
        assertThat(agent.get("aliases")).extracting(JsonNode::asText).containsExactly("azure-ops");
        assertThat(byAlias.headers().firstValue("ETag")).hasValue("\"" + agent.get("version").asLong() + "\"");
        assertThat(service.get("/api/agents/nobody").statusCode()).isEqualTo(404);
    }

    @Test
    void an_agent_can_be_edited_through_its_alias_and_keeps_its_id() {
        long version = parse(service.get("/api/agents/ops-assistant").body()).get("version").asLong();

        HttpResponse<String> edited = write("PUT", "/api/agents/azure-ops",
                body("name", "Ops, edited", "instructions", "Operate.", "aliases", List.of("azure-ops")), KEY, "\"" + version + "\"");

        assertThat(edited.statusCode()).isEqualTo(200);
        assertThat(parse(edited.body()).get("id").asText()).isEqualTo("ops-assistant");
        assertThat(parse(service.get("/api/agents/azure-ops").body()).get("name").asText()).isEqualTo("Ops, edited");
    }

    @Test
    void writes_need_the_administrator_key() {
        String agent = newAgent("billing-help", List.of("calculator"));

        HttpResponse<String> none = write("POST", "/api/agents", agent, null, null);
        HttpResponse<String> wrong = write("POST", "/api/agents", agent, "not-the-key", null);
        HttpResponse<String> right = write("POST", "/api/agents", agent, KEY, null);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(right.statusCode()).isEqualTo(201);
        assertThat(right.headers().firstValue("Location")).hasValue("/api/agents/billing-help");
        assertThat(parse(right.body()).get("version").asLong()).isEqualTo(1);
    }

    @Test
    void without_a_configured_key_every_write_is_refused_clearly() {
        try (ServiceUnderTest closed = new ServiceUnderTest()) {
            HttpResponse<String> refused = closed.send(HttpRequest.newBuilder(closed.uri("/api/agents"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer anything")
                    .POST(HttpRequest.BodyPublishers.ofString(newAgent("x-agent", List.of()))));

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(parse(refused.body()).get("code").asText()).isEqualTo("admin_disabled");
            assertThat(parse(refused.body()).get("detail").asText()).contains("ADMIN_API_KEY");
        }
    }

    @Test
    void an_invalid_definition_is_refused_and_nothing_is_stored() {
        assertThat(write("POST", "/api/agents", newAgent("Not A Slug", List.of()), KEY, null).statusCode()).isIn(400, 422);
        assertThat(code(write("POST", "/api/agents", newAgent("bad--slug", List.of()), KEY, null))).isEqualTo("invalid_agent");
        assertThat(code(write("POST", "/api/agents", newAgent("tooly", List.of("teleport")), KEY, null))).isEqualTo("invalid_agent");
        assertThat(code(write("POST", "/api/agents", body("id", "big", "name", "n".repeat(500), "instructions", "x"), KEY, null)))
                .isEqualTo("invalid_request");
        assertThat(code(write("POST", "/api/agents", body("id", "noinstr", "name", "No instructions"), KEY, null)))
                .isEqualTo("invalid_request");
        assertThat(service.get("/api/agents/tooly").statusCode()).isEqualTo(404);
        assertThat(service.get("/api/agents/big").statusCode()).isEqualTo(404);
    }

    @Test
    void an_id_or_alias_already_taken_is_a_conflict() {
        assertThat(write("POST", "/api/agents", newAgent("support-triage", List.of()), KEY, null).statusCode()).isEqualTo(409);
        String aliasClash = body("id", "new-ops", "name", "New ops", "instructions", "x", "aliases", List.of("azure-ops"));
        assertThat(write("POST", "/api/agents", aliasClash, KEY, null).statusCode()).isEqualTo(409);
    }

    @Test
    void an_update_needs_the_version_it_edits_and_a_stale_one_loses_nothing() {
        write("POST", "/api/agents", newAgent("editable", List.of()), KEY, null);
        String edit = body("name", "Edited", "instructions", "New instructions.");

        HttpResponse<String> missing = write("PUT", "/api/agents/editable", edit, KEY, null);
        HttpResponse<String> updated = write("PUT", "/api/agents/editable", edit, KEY, "\"1\"");
        HttpResponse<String> staleHeader = write("PUT", "/api/agents/editable", body("name", "Lost", "instructions", "x"), KEY, "\"1\"");
        HttpResponse<String> staleBody = write("PUT", "/api/agents/editable",
                body("name", "Lost", "instructions", "x", "version", 1), KEY, null);

        assertThat(missing.statusCode()).isEqualTo(428);
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(parse(updated.body()).get("version").asLong()).isEqualTo(2);
        assertThat(staleHeader.statusCode()).isEqualTo(412);
        assertThat(staleBody.statusCode()).isEqualTo(409);
        assertThat(parse(staleBody.body()).get("current_version").asLong()).isEqualTo(2);
        assertThat(parse(service.get("/api/agents/editable").body()).get("name").asText()).isEqualTo("Edited");
    }

    @Test
    void of_two_concurrent_updates_of_one_version_exactly_one_wins() {
        write("POST", "/api/agents", newAgent("contested", List.of()), KEY, null);

        List<CompletableFuture<HttpResponse<String>>> racing = List.of("A", "B").stream()
                .map(name -> CompletableFuture.supplyAsync(() -> write("PUT", "/api/agents/contested",
                        body("name", name, "instructions", "x"), KEY, "\"1\""))).toList();
        List<Integer> statuses = racing.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

        assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        assertThat(parse(service.get("/api/agents/contested").body()).get("version").asLong()).isEqualTo(2);
    }

    @Test
    void a_created_agent_answers_chats_and_once_retired_takes_no_more_but_keeps_its_threads() {
        write("POST", "/api/agents", newAgent("fresh-agent", List.of("calculator")), KEY, null);
        service.model.reply(Reply.text("Hi from a new agent."));
        JsonNode done = service.chatToDone("fresh-agent", body("message", "hello"));
        assertThat(service.model.requests().getFirst().instructions()).isEqualTo("You help with tests.");
        assertThat(service.model.requests().getFirst().tools()).extracting(tool -> tool.name()).containsExactly("calculator");
        assertThat(service.model.requests().getFirst().settings().temperature()).isEqualTo(0.3);
        assertThat(service.model.requests().getFirst().settings().maxOutputTokens()).isEqualTo(500);

        write("PUT", "/api/agents/fresh-agent", body("name", "Fresh, edited", "instructions", "You help with tests.",
                "tools", List.of("calculator")), KEY, "\"1\"");
        service.model.reply(Reply.text("Hi again."));
        service.chatToDone("fresh-agent", body("message", "hello again", "thread_id", done.get("thread_id").asText()));
        JsonNode runs = parse(service.get("/api/agents/fresh-agent/threads/" + done.get("thread_id").asText()).body()).get("runs");
        assertThat(runs).extracting(run -> run.get("agent_version").asLong()).as("each run records the version it ran with")
                .containsExactly(1L, 2L);

        HttpResponse<String> retired = write("DELETE", "/api/agents/fresh-agent", null, KEY, null);
        HttpResponse<String> refused = service.postJson("/api/agents/fresh-agent/chat", body("message", "again", "stream", false));

        assertThat(parse(retired.body()).get("status").asText()).isEqualTo("inactive");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(code(refused)).isEqualTo("agent_inactive");
        assertThat(service.get("/api/agents/fresh-agent/threads/" + done.get("thread_id").asText()).statusCode()).isEqualTo(200);
        assertThat(parse(service.get("/api/agents?status=inactive").body()).get("agents"))
                .extracting(agent -> agent.get("id").asText()).contains("fresh-agent");
    }

    @Test
    void an_edit_that_does_not_mention_the_status_keeps_a_retired_agent_retired() {
        write("POST", "/api/agents", newAgent("sleeper", List.of()), KEY, null);
        write("DELETE", "/api/agents/sleeper", null, KEY, null);

        HttpResponse<String> edited = write("PUT", "/api/agents/sleeper", body("name", "Still asleep", "instructions", "x"), KEY, "\"2\"");

        assertThat(edited.statusCode()).isEqualTo(200);
        assertThat(parse(edited.body()).get("status").asText()).isEqualTo("inactive");
    }

    @Test
    void a_version_that_is_not_a_number_or_an_empty_key_is_refused_as_such() {
        write("POST", "/api/agents", newAgent("checked", List.of()), KEY, null);

        HttpResponse<String> badVersion = write("PUT", "/api/agents/checked",
                body("name", "x", "instructions", "x", "version", "abc"), KEY, null);
        HttpResponse<String> emptyKey = service.send(HttpRequest.newBuilder(service.uri("/api/agents/checked"))
                .header("Authorization", "Bearer ").DELETE());

        assertThat(badVersion.statusCode()).isEqualTo(400);
        assertThat(emptyKey.statusCode()).isEqualTo(401);
    }

    private static String newAgent(String id, List<String> tools) {
        return body("id", id, "name", "Agent " + id, "description", "For tests.", "instructions", "You help with tests.",
                "tools", tools, "model", Map.of("temperature", 0.3, "max_output_tokens", 500));
    }

    private HttpResponse<String> write(String method, String path, String json, String key, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(path)).method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return service.send(request);
    }

    private static String code(HttpResponse<String> response) {
        return parse(response.body()).get("code").asText();
    }
}
