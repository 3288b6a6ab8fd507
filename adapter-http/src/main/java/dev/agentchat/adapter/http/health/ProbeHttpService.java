package dev.agentchat.adapter.http.health;

import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.problem.Problems;
import dev.agentchat.ports.health.CheckReadiness;
import dev.agentchat.ports.health.Readiness;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The probes an orchestrator sends, under {@code /health}: {@code GET /health/live}, answered without any I/O (a
 * process that can answer it is alive; restarting it for a store outage would not help), and
 * {@code GET /health/ready}, 503 while a required dependency does not answer or the service drains for
 * shutdown, so that the load balancer sends its requests elsewhere meanwhile. Both need no credential: a probe
 * is configured with none, and they say nothing of any conversation.
 */
public final class ProbeHttpService implements HttpService {
    private static final byte[] LIVE = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    private final CheckReadiness checkReadiness;

    public ProbeHttpService(CheckReadiness checkReadiness) {
        this.checkReadiness = Objects.requireNonNull(checkReadiness, "checkReadiness");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/live", (req, res) -> send(res, 200, LIVE))
                .any("/live", (req, res) -> Problems.methodNotAllowed(res, "GET"))
                .get("/ready", (req, res) -> {
                    Readiness readiness = checkReadiness.readiness();
                    send(res, readiness.isReady() ? 200 : 503, document(readiness).getBytes(StandardCharsets.UTF_8));
                })
                .any("/ready", (req, res) -> Problems.methodNotAllowed(res, "GET"));
    }

    private static void send(ServerResponse res, int status, byte[] body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body);
    }

    /** {@code {"status":"READY"}}, or {@code {"status":"NOT_READY","problems":[...]}}. */
    static String document(Readiness readiness) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("status", readiness.isReady() ? "READY" : "NOT_READY");
            if (!readiness.isReady()) {
                json.writeArrayFieldStart("problems");
                for (String problem : readiness.problems()) {
                    json.writeString(problem);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        });
    }
}
