package dev.agentchat.adapter.http.health;

import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.problem.Problems;
import dev.agentchat.ports.health.CheckHealth;
import dev.agentchat.ports.health.Health;
import dev.agentchat.ports.tool.ToolSource;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code GET /health}: {@code UP}, or {@code DEGRADED} while a tool server is not reachable, naming it and why.
 * Degraded is still 200: the service serves every chat (without that server's tools), so a load balancer must
 * not take it out of rotation for it; an operator reads the body.
 */
public final class HealthHttpService implements HttpService {
    private final CheckHealth checkHealth;

    public HealthHttpService(CheckHealth checkHealth) {
        this.checkHealth = Objects.requireNonNull(checkHealth, "checkHealth");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(document(checkHealth.health()).getBytes(StandardCharsets.UTF_8));
        }).any("/", (req, res) -> Problems.methodNotAllowed(res, "GET"));
    }

    /** {@code {"status":"UP"}}, with {@code tool_servers} when any is configured. */
    static String document(Health health) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("status", health.status().name());
            if (!health.toolServers().isEmpty()) {
                json.writeArrayFieldStart("tool_servers");
                for (ToolSource server : health.toolServers()) {
                    json.writeStartObject();
                    json.writeStringField("name", server.name());
                    json.writeStringField("status", server.reachable() ? "up" : "unreachable");
                    if (server.reachable()) {
                        json.writeNumberField("tools", server.tools());
                    } else {
                        json.writeStringField("problem", server.problem().orElseThrow());
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        });
    }
}
