package dev.agentchat.adapter.http.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.AdminGuard;
import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.JsonResponses;
import dev.agentchat.adapter.http.JsonRequests;
import dev.agentchat.adapter.http.PathIds;
import dev.agentchat.adapter.http.QueryParameters;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.adapter.http.problem.Problems;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.ports.agent.AgentPage;
import dev.agentchat.ports.agent.ManageAgents;
import dev.agentchat.domain.refusal.StaleAgentVersion;
import dev.agentchat.ports.store.PageRequest;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The agent registry: {@code GET /api/agents}, {@code GET /api/agents/{agentId}} (id or alias),
 * and for administrators {@code POST}, {@code PUT} (with If-Match or a version) and {@code DELETE}
 * (which retires the agent). Each answer about one agent carries its version as the ETag.
 */
public final class AgentHttpService implements HttpService {
    private final ManageAgents agents;
    private final AdminGuard admin;
    private final int maxBodyBytes;

    public AgentHttpService(ManageAgents agents, AdminGuard admin, int maxBodyBytes) {
        this.agents = agents;
        this.admin = admin;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .any("/", (req, res) -> Problems.methodNotAllowed(res, "GET", "POST"))
                .get("/{agentId}", this::read)
                .put("/{agentId}", this::update)
                .delete("/{agentId}", this::retire)
                .any("/{agentId}", (req, res) -> Problems.methodNotAllowed(res, "GET", "PUT", "DELETE"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        PageRequest page = new PageRequest(QueryParameters.integer(req, "limit", PageRequest.DEFAULT_LIMIT, 1, PageRequest.MAX_LIMIT),
                QueryParameters.integer(req, "offset", 0, 0, Integer.MAX_VALUE));
        AgentPage found = agents.list(statuses(req), page);
        JsonResponses.send(res, 200, Json.encode(AgentJson.AgentListBody.of(found)));
    }

    private void read(ServerRequest req, ServerResponse res) {
        sendAgent(res, 200, agents.get(PathIds.agent(req)));
    }

    private void create(ServerRequest req, ServerResponse res) {
        admin.requireAdmin(req);
        Agent created = agents.create(JsonRequests.read(req, maxBodyBytes, AgentJson.AgentDefinition.class).toAgent(null));
        res.header(HeaderNames.LOCATION, "/api/agents/" + created.id().value());
        sendAgent(res, 201, created);
    }

    private void update(ServerRequest req, ServerResponse res) {
        admin.requireAdmin(req);
        // The path may name the agent by an alias; the definition is the agent's, under its own id.
        Agent stored = agents.get(PathIds.agent(req));
        String id = stored.id().value();
        JsonNode body = JsonRequests.readObject(req, maxBodyBytes);
        Optional<Long> ifMatch = req.headers().first(HeaderNames.IF_MATCH).map(AgentHttpService::version);
        Optional<Long> inBody = Optional.ofNullable(JsonRequests.bind(body, AgentJson.EditedVersion.class).version());
        long expected = ifMatch.or(() -> inBody).orElseThrow(() -> new ProblemException(new Problem(428,
                "precondition_required", "Version required",
                "Send the version you edited, as 'If-Match: \"<version>\"' or \"version\" in the body, so no one's change is lost.")));
        try {
            // An edit that does not mention the status keeps it: editing a retired agent does not bring it back.
            sendAgent(res, 200, agents.update(PathIds.agent(req), expected,
                    JsonRequests.bind(body, AgentJson.AgentDefinition.class).toAgent(id, stored.status())));
        } catch (StaleAgentVersion e) {
            // If-Match failing is 412 by HTTP's rules; a stale version in the body is a conflict with the stored state.
            throw new ProblemException(new Problem(ifMatch.isPresent() ? 412 : 409, "stale_version", "Stale version",
                    e.getMessage()).with("current_version", e.currentVersion()));
        }
    }

    private void retire(ServerRequest req, ServerResponse res) {
        admin.requireAdmin(req);
        sendAgent(res, 200, agents.retire(PathIds.agent(req)));
    }

    /** {@code active} (the default), {@code inactive}, or {@code all}. */
    private static Set<AgentStatus> statuses(ServerRequest req) {
        String status = req.query().first("status").asOptional().orElse("active");
        return switch (status) {
            case "active" -> EnumSet.of(AgentStatus.ACTIVE);
            case "inactive" -> EnumSet.of(AgentStatus.INACTIVE);
            case "all" -> EnumSet.allOf(AgentStatus.class);
            default -> throw new ProblemException(Problem.badRequest("'status' must be active, inactive or all, was '" + status + "'."));
        };
    }

    private static long version(String etag) {
        String bare = etag.strip();
        if (bare.startsWith("W/")) {
            bare = bare.substring(2);
        }
        bare = bare.replace("\"", "");
        try {
            return Long.parseLong(bare);
        } catch (NumberFormatException e) {
            throw new ProblemException(Problem.badRequest("If-Match must be an agent version such as \"3\", was " + etag + "."));
        }
    }

    private static void sendAgent(ServerResponse res, int status, Agent agent) {
        res.header(HeaderNames.ETAG, "\"" + agent.version() + "\"");
        JsonResponses.send(res, status, Json.encode(AgentJson.AgentBody.of(agent)));
    }
}
