package dev.agentchat.adapter.http;

import static dev.agentchat.adapter.http.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.auth.Authentication;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.auth.ApiKeys;
import dev.agentchat.ports.auth.AuthenticatedCaller;
import dev.agentchat.ports.auth.CredentialVerifier;
import dev.agentchat.ports.auth.Verification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authentication on: who may call which route, and that each user reaches only their own conversations. */
class AuthenticationRoutesTest {
    static final String ALICE_KEY = "alice-key-0123456789abcdef";
    static final String BOB_KEY = "bob-key-0123456789abcdef";
    static final String ALLOWED_ORIGIN = "https://app.example.com";

    private final ApiKeys keys = ApiKeys.none()
            .with(ApiKeys.Entry.forKey(ALICE_KEY, UserId.of("alice"), Set.of()))
            .with(ApiKeys.Entry.forKey(BOB_KEY, UserId.of("bob"), Set.of("Readers")))
            .with(ApiKeys.Entry.forKey(ApiOverMemory.ADMIN_KEY, UserId.of("admin"), Set.of(Authentication.DEFAULT_ADMIN_ROLE)));
    private ApiOverMemory service;
    private ApiClient client;

    @BeforeEach
    void start() {
        startWith(keys, Optional.empty());
        client.createAgent("helper");
    }

    private void startWith(CredentialVerifier verifier, Optional<String> requiredScope) {
        service = new ApiOverMemory(Authentication.by(verifier, Authentication.DEFAULT_ADMIN_ROLE, requiredScope),
                List.of(ALLOWED_ORIGIN));
        client = new ApiClient(service.port());
    }

    @AfterEach
    void stop() {
        client.close();
        service.close();
    }

    private ApiClient.Answer get(String key, String path) {
        return client.send(client.request(path).header("Authorization", "Bearer " + key).GET());
    }

    private ApiClient.Answer send(String key, String method, String path) {
        return client.send(client.request(path).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("")));
    }

    private JsonNode chat(String key, String message) {
        service.model.reply(Reply.text("An ", "answer."));
        return client.stream(client.request("/api/agents/helper/chat").header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json("message", message)))).getLast();
    }

    @Test
    void a_request_without_a_credential_is_refused_with_a_bearer_challenge() {
        ApiClient.Answer refused = client.get("/api/agents/helper/threads");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(refused.json().get("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void an_unknown_key_is_refused_as_an_invalid_token_without_saying_why() {
        ApiClient.Answer refused = get("not-a-key-of-anyone", "/api/agents");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
        assertThat(refused.json().get("code").asText()).isEqualTo("invalid_token");
        assertThat(refused.body()).doesNotContain("unknown API key");
    }

    @Test
    void a_bearer_header_without_a_credential_is_an_invalid_token() {
        ApiClient.Answer refused = client.send(client.request("/api/agents").header("Authorization", "Bearer ").GET());

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asText()).isEqualTo("invalid_token");
    }

    @Test
    void a_credential_in_the_query_string_is_refused_even_beside_a_good_header() {
        ApiClient.Answer alone = client.get("/api/agents?access_token=" + ALICE_KEY);
        ApiClient.Answer beside = get(ALICE_KEY, "/api/agents?access_token=" + ALICE_KEY);

        assertThat(alone.status()).isEqualTo(401);
        assertThat(beside.status()).isEqualTo(401);
        assertThat(beside.json().get("code").asText()).isEqualTo("invalid_token");
    }

    @Test
    void each_user_lists_only_their_own_threads() {
        String alices = chat(ALICE_KEY, "Alice asks").get("thread_id").asText();
        String bobs = chat(BOB_KEY, "Bob asks").get("thread_id").asText();

        assertThat(get(ALICE_KEY, "/api/agents/helper/threads").json().get("threads"))
                .extracting(thread -> thread.get("id").asText()).containsExactly(alices);
        assertThat(get(BOB_KEY, "/api/agents/helper/threads").json().get("threads"))
                .extracting(thread -> thread.get("id").asText()).containsExactly(bobs);
    }

    @Test
    void another_users_thread_and_run_are_not_found_on_every_route() {
        JsonNode done = chat(ALICE_KEY, "Alice asks");
        String thread = "/api/agents/helper/threads/" + done.get("thread_id").asText();
        String run = thread + "/runs/" + done.get("run_id").asText();

        List<ApiClient.Answer> asBob = List.of(get(BOB_KEY, thread), get(BOB_KEY, thread + "/runs"), get(BOB_KEY, run),
                client.send(client.request(run + "/events?after=0").header("Authorization", "Bearer " + BOB_KEY)
                        .header("Accept", "text/event-stream").GET()),
                send(BOB_KEY, "POST", run + "/cancel"), send(BOB_KEY, "DELETE", thread));

        assertThat(asBob).extracting(ApiClient.Answer::status).containsOnly(404);
        assertThat(get(ALICE_KEY, thread).status()).as("Bob's attempts left Alice's thread alone").isEqualTo(200);
        assertThat(get(ALICE_KEY, run).status()).isEqualTo(200);
    }

    @Test
    void the_same_idempotency_key_from_two_users_starts_two_runs() {
        List<JsonNode> answers = new java.util.ArrayList<>();
        for (String key : List.of(ALICE_KEY, BOB_KEY)) {
            service.model.reply(Reply.text("An ", "answer."));
            answers.add(client.stream(client.request("/api/agents/helper/chat").header("Authorization", "Bearer " + key)
                    .header("Idempotency-Key", "same-key-for-both").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json("message", "The same question")))).getLast());
        }

        assertThat(answers.get(0).get("run_id").asText()).isNotEqualTo(answers.get(1).get("run_id").asText());
        assertThat(answers.get(0).get("thread_id").asText()).isNotEqualTo(answers.get(1).get("thread_id").asText());
    }

    @Test
    void only_a_caller_with_the_admin_role_changes_agents() {
        String definition = json("id", "other", "name", "Other", "instructions", "Answer briefly.");

        ApiClient.Answer byAlice = client.send(client.request("/api/agents").header("Authorization", "Bearer " + ALICE_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(definition)));
        ApiClient.Answer byAdmin = client.asAdmin("POST", "/api/agents", definition);

        assertThat(byAlice.status()).isEqualTo(403);
        assertThat(byAlice.json().get("code").asText()).isEqualTo("forbidden");
        assertThat(byAdmin.status()).isEqualTo(201);
        assertThat(get(ALICE_KEY, "/api/agents/other").status()).as("anyone authenticated reads agents").isEqualTo(200);
    }

    @Test
    void the_documents_and_health_stay_public() {
        assertThat(client.get("/health").status()).isEqualTo(200);
        assertThat(raw("GET", "/openapi", "Accept", "application/yaml").statusCode()).isEqualTo(200);
        assertThat(raw("GET", "/docs").statusCode()).isIn(200, 301, 302, 307, 308);
    }

    @Test
    void the_probes_and_the_metrics_need_no_credential() {
        assertThat(client.get("/health/live").status()).isEqualTo(200);
        assertThat(client.get("/health/ready").status()).isEqualTo(200);
        assertThat(client.get("/metrics").status()).isEqualTo(200);
        assertThat(client.get("/api/agents").status()).as("while the API needs one").isEqualTo(401);
    }

    @Test
    void a_preflight_from_an_allowed_origin_is_answered_without_a_credential() {
        HttpResponse<String> preflight = raw("OPTIONS", "/api/agents/helper/chat", "Origin", ALLOWED_ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type,idempotency-key");

        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(ALLOWED_ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
                .contains("Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
    }

    @Test
    void an_allowed_origin_may_read_the_run_and_thread_headers() {
        HttpResponse<String> answer = raw("GET", "/api/agents", "Origin", ALLOWED_ORIGIN, "Authorization", "Bearer " + ALICE_KEY);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains(ALLOWED_ORIGIN);
        assertThat(answer.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("X-Run-Id", "X-Thread-Id");
    }

    @Test
    void an_origin_not_allowed_gets_no_cors_header_and_its_preflight_is_refused() {
        HttpResponse<String> preflight = raw("OPTIONS", "/api/agents", "Origin", "https://evil.example.net",
                "Access-Control-Request-Method", "GET");
        HttpResponse<String> answer = raw("GET", "/api/agents", "Origin", "https://evil.example.net", "Authorization", "Bearer " + ALICE_KEY);

        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().map()).doesNotContainKeys("access-control-allow-origin", "access-control-allow-methods");
        assertThat(answer.headers().map()).doesNotContainKeys("access-control-allow-origin", "access-control-expose-headers");
    }

    @Test
    void every_answer_carries_the_security_headers_and_pages_get_their_own_policy() {
        for (HttpResponse<String> answer : List.of(raw("GET", "/api/agents"), raw("GET", "/api/agents", "Authorization", "Bearer " + ALICE_KEY),
                raw("GET", "/health"), raw("GET", "/no/such/page"))) {
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(answer.uri().toString()).contains("nosniff");
            assertThat(answer.headers().firstValue("Referrer-Policy")).as(answer.uri().toString()).contains("no-referrer");
            assertThat(answer.headers().firstValue("Content-Security-Policy")).as(answer.uri().toString()).isPresent();
        }
        assertThat(raw("GET", "/api/agents").headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'none'");
        assertThat(raw("GET", "/docs/").headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'self'");
    }

    @Test
    void a_token_without_the_required_scope_is_forbidden_while_an_api_key_is_held_to_its_roles() {
        stop();
        CredentialVerifier tokens = credential -> switch (credential) {
            case "a.scoped.token" -> accepted("carol", Set.of("access_as_user"));
            case "a.narrow.token" -> accepted("dave", Set.of("something_else"));
            case "an.unscoped.token" -> accepted("erin", Set.of());
            default -> new Verification.NotMine();
        };
        startWith(CredentialVerifier.firstOf(List.of(tokens, keys)), Optional.of("access_as_user"));

        ApiClient.Answer narrow = get("a.narrow.token", "/api/agents");

        assertThat(get("a.scoped.token", "/api/agents").status()).isEqualTo(200);
        assertThat(narrow.status()).isEqualTo(403);
        assertThat(narrow.json().get("code").asText()).isEqualTo("insufficient_scope");
        assertThat(narrow.header("WWW-Authenticate")).contains("insufficient_scope", "access_as_user");
        assertThat(get("an.unscoped.token", "/api/agents").status()).as("a token with no scope at all (an ID token)")
                .isEqualTo(403);
        assertThat(get(ALICE_KEY, "/api/agents").status()).isEqualTo(200);
    }

    @Test
    void a_credential_that_cannot_be_verified_now_is_a_503_not_a_401() {
        stop();
        startWith(credential -> new Verification.Unavailable("the issuer's keys cannot be fetched"), Optional.empty());

        ApiClient.Answer answer = get("a.b.c", "/api/agents");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("code").asText()).isEqualTo("authentication_unavailable");
        assertThat(answer.body()).doesNotContain("issuer");
    }

    private static Verification accepted(String user, Set<String> scopes) {
        return new Verification.Accepted(new AuthenticatedCaller(UserId.of(user), user, Set.of(), scopes,
                AuthenticatedCaller.Credential.ACCESS_TOKEN));
    }

    /** A request outside the document's checks: transport (CORS preflights) and the documents themselves. */
    private HttpResponse<String> raw(String method, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
