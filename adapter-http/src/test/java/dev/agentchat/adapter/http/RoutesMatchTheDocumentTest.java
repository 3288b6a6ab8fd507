package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.webserver.http.HttpRouting;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document against the routes the running server registered (read from its route table,
 * not from a list kept here): no route left out of the document, and no documented operation the
 * server does not answer.
 */
class RoutesMatchTheDocumentTest {
    @RegisterExtension
    final RunningApi api = new RunningApi();

    @Test
    void the_running_server_registered_the_routes_of_every_family() {
        List<String> routes = api.service().api.routes().stream().map(route -> route.method() + " " + route.path()).toList();

        assertThat(routes).contains("GET /api/agents", "POST /api/agents/{agentId}/chat", "GET /api/agents/{agentId}/threads",
                "DELETE /api/agents/{agentId}/threads/{threadId}", "POST /api/agents/{agentId}/threads/{threadId}/runs/{runId}/cancel",
                "GET /health", "GET /auth/config");
    }

    @Test
    void every_route_the_server_registered_is_in_the_document() {
        List<String> documented = ApiDocument.get().operations();

        List<String> missing = new ArrayList<>();
        for (RouteTable.Route route : api.service().api.routes()) {
            if (route.anyMethod()) {
                // The answer to a method a path does not take (405) sits on a path the document lists.
                if (documented.stream().noneMatch(operation -> operation.endsWith(" " + route.path()))) {
                    missing.add("any method on " + route.path());
                }
            } else if (!documented.contains(route.method() + " " + route.path())) {
                missing.add(route.method() + " " + route.path());
            }
        }

        assertThat(missing).as("routes the server answers that the OpenAPI document leaves out").isEmpty();
    }

    @Test
    void every_documented_operation_is_a_route_the_server_registered() {
        List<String> registered = api.service().api.routes().stream().filter(route -> !route.anyMethod())
                .map(route -> route.method() + " " + route.path()).toList();

        assertThat(ApiDocument.get().operations()).as("documented operations with no route behind them")
                .allSatisfy(operation -> assertThat(registered).contains(operation));
    }

    @Test
    void every_documented_operation_is_answered_by_its_route_and_not_by_the_fallbacks() {
        List<String> unanswered = new ArrayList<>();
        for (String operation : ApiDocument.get().operations()) {
            String[] parts = operation.split(" ", 2);
            String path = parts[1].replace("{agentId}", "no-such-agent").replace("{threadId}", "no-such-thread")
                    .replace("{runId}", "no-such-run");
            ApiClient.Answer answer = api.client().send(api.client().request(path).header("Content-Type", "application/json")
                    .header("Accept", "application/json").method(parts[0], HttpRequest.BodyPublishers.ofString("{}")));
            // A problem is JSON; an answer in another type (the metrics' text) is the route's own.
            boolean json = String.valueOf(answer.header("Content-Type")).contains("json");
            String code = answer.body().isEmpty() || !json ? "" : answer.json().path("code").asText();
            if (answer.status() == 405 || code.equals("not_found")) {
                unanswered.add(operation + " -> " + answer.status() + " " + answer.body());
            }
        }

        assertThat(unanswered).isEmpty();
    }

    @Test
    void the_document_the_server_serves_has_the_operations_the_answers_are_checked_against() {
        ApiClient.Answer served = api.client().send(api.client().request("/openapi").header("Accept", "application/vnd.oai.openapi").GET());
        Map<String, Map<String, Object>> paths = new Yaml().<Map<String, Map<String, Map<String, Object>>>>load(
                served.body()).get("paths");

        List<String> operations = new ArrayList<>();
        paths.forEach((path, item) -> item.keySet().stream().filter(key -> !key.equals("parameters"))
                .forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path)));

        assertThat(served.status()).isEqualTo(200);
        assertThat(operations).containsExactlyInAnyOrderElementsOf(ApiDocument.get().operations());
    }

    @Test
    void a_route_added_in_a_form_the_table_cannot_list_is_refused() {
        RouteTable table = new RouteTable();

        assertThatThrownBy(() -> table.record(HttpRouting.builder()).get((req, res) -> res.send()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(table.routes()).isEmpty();
    }

    @Test
    void routes_of_a_service_are_listed_under_the_path_it_is_registered_at() {
        RouteTable table = new RouteTable();
        HttpRouting.Builder routing = HttpRouting.builder();

        table.record(routing).register("/outer", rules -> rules.get("/", (req, res) -> res.send())
                .post("/{id}/act", (req, res) -> res.send())
                .any("/{id}", (req, res) -> res.send()));
        routing.build();

        assertThat(table.routes()).extracting(route -> Map.entry(route.method(), route.path())).containsExactly(
                Map.entry("GET", "/outer"), Map.entry("POST", "/outer/{id}/act"), Map.entry("", "/outer/{id}"));
    }
}
