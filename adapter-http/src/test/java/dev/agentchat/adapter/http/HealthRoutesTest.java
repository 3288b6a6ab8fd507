package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.ports.tool.ToolSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /health}: up, or degraded (still 200) naming each tool server that is not reachable and why. */
class HealthRoutesTest {
    @RegisterExtension
    final RunningApi api = new RunningApi();

    @Test
    void a_service_without_tool_servers_is_up_and_lists_none() {
        ApiClient.Answer answer = api.client().get("/health");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void a_tool_server_not_reachable_makes_the_service_degraded_but_still_200_naming_it_and_why() {
        // given
        api.service().tools.source(new ToolSource("everything", Optional.empty(), 12))
                .source(new ToolSource("azure", Optional.of("npx exited with status 1"), 0));

        // when
        ApiClient.Answer answer = api.client().get("/health");

        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"DEGRADED\",\"tool_servers\":["
                + "{\"name\":\"everything\",\"status\":\"up\",\"tools\":12},"
                + "{\"name\":\"azure\",\"status\":\"unreachable\",\"problem\":\"npx exited with status 1\"}]}");
    }

    @Test
    void every_tool_server_reachable_is_up_with_each_listed() {
        // given
        api.service().tools.source(new ToolSource("everything", Optional.empty(), 12));

        // when
        ApiClient.Answer answer = api.client().get("/health");

        // then
        assertThat(answer.json().get("status").asText()).isEqualTo("UP");
        assertThat(answer.json().get("tool_servers").get(0).get("tools").asInt()).isEqualTo(12);
    }
}
