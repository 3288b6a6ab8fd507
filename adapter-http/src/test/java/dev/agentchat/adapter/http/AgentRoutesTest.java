package dev.agentchat.adapter.http;

import static dev.agentchat.adapter.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The agent registry's routes, over the in-memory stores and a real socket. */
class AgentRoutesTest {
    @RegisterExtension
    final RunningApi api = new RunningApi();

    @Test
    void an_administrator_creates_an_agent_that_is_then_listed_and_read_by_its_alias() {
        ApiClient.Answer created = api.client().asAdmin("POST", "/api/agents", json("id", "billing-help", "name", "Billing",
                "instructions", "Help with bills.", "aliases", List.of("bills")));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/agents/billing-help");
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        JsonNode listed = api.client().get("/api/agents").json();
        assertThat(listed.get("agents")).extracting(agent -> agent.get("id").asText()).containsExactly("billing-help");
        assertThat(listed.get("total").asInt()).isEqualTo(1);
        ApiClient.Answer byAlias = api.client().get("/api/agents/bills");
        assertThat(byAlias.status()).isEqualTo(200);
        assertThat(byAlias.json().get("id").asText()).isEqualTo("billing-help");
    }

    @Test
    void a_write_without_the_administrator_key_is_refused() {
        ApiClient.Answer refused = api.client().send(api.client().request("/api/agents").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json("id", "x-agent", "name", "X", "instructions", "Do."))));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void an_edit_names_the_version_it_edited_and_a_stale_one_is_refused() {
        api.client().createAgent("ops");

        ApiClient.Answer edited = api.client().send(api.client().request("/api/agents/ops").header("If-Match", "\"1\"")
                .header("Authorization", "Bearer " + ApiOverMemory.ADMIN_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json("name", "Ops, edited", "instructions", "Operate."))));
        ApiClient.Answer stale = api.client().send(api.client().request("/api/agents/ops").header("If-Match", "\"1\"")
                .header("Authorization", "Bearer " + ApiOverMemory.ADMIN_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json("name", "Lost edit", "instructions", "Operate."))));

        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.header("ETag")).isEqualTo("\"2\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().get("current_version").asLong()).isEqualTo(2);
    }

    @Test
    void a_retired_agent_is_listed_only_among_the_inactive() {
        api.client().createAgent("old-agent");

        ApiClient.Answer retired = api.client().asAdmin("DELETE", "/api/agents/old-agent", "");

        assertThat(retired.status()).isEqualTo(200);
        assertThat(retired.json().get("status").asText()).isEqualTo("inactive");
        assertThat(api.client().get("/api/agents").json().get("total").asInt()).isZero();
        assertThat(api.client().get("/api/agents?status=inactive").json().get("agents")).hasSize(1);
    }
}
