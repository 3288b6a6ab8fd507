package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.agentchat.adapter.cosmos.CosmosTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service as deployed with sign-in: {@code AUTH_ISSUER} and {@code AUTH_AUDIENCE} name a local OpenID
 * Connect issuer the test starts (its discovery document and keys on loopback, tokens it signs), the
 * adapters chosen as {@link Main} chooses them. Anonymous calls are refused, and each user is served only
 * their own conversations, on every route.
 */
class SignInTest {
    private static final String AUDIENCE = "agentchat";
    private static final String SCOPE = "access_as_user";
    private static final String AGENT = "support-triage";

    private LocalIssuer issuer;
    private ServiceAsDeployed service;
    private ServiceClient client;

    @BeforeEach
    void start() throws Exception {
        issuer = LocalIssuer.start();
        startService(Map.of());
    }

    /** Starts the service on the adapters {@link Main} picks for these settings, taking the local issuer's tokens. */
    private void startService(Map<String, String> more) {
        Map<String, String> values = new HashMap<>(Map.of("AUTH_ISSUER", issuer.url(), "AUTH_AUDIENCE", AUDIENCE,
                "AUTH_REQUIRED_SCOPE", SCOPE));
        values.putAll(more);
        service = ServiceAsDeployed.start(Settings.forTests(values));
        client = service.client();
    }

    @AfterEach
    void stop() {
        stopService();
        issuer.close();
    }

    private void stopService() {
        service.close();
    }

    @Test
    void an_anonymous_call_is_refused_and_the_public_paths_stay_public() {
        HttpResponse<String> anonymous = get("/api/agents/" + AGENT + "/threads", null);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        assertThat(get("/openapi", null).statusCode()).isEqualTo(200);
    }

    @Test
    void an_expired_token_a_token_for_another_audience_and_one_without_the_scope_are_refused() {
        String expired = issuer.token("alice", SCOPE, AUDIENCE, Instant.now().minusSeconds(3_600));
        String elsewhere = issuer.token("alice", SCOPE, "another-api", Instant.now().plusSeconds(600));
        String unscoped = issuer.token("alice", "Files.Read", AUDIENCE, Instant.now().plusSeconds(600));

        assertThat(get("/api/agents/" + AGENT + "/threads", expired).statusCode()).isEqualTo(401);
        assertThat(get("/api/agents/" + AGENT + "/threads", elsewhere).statusCode()).isEqualTo(401);
        assertThat(get("/api/agents/" + AGENT + "/threads", unscoped).statusCode()).isEqualTo(403);
    }

    @Test
    void each_signed_in_user_is_served_only_their_own_conversations_on_every_route() {
        twoUsersMeetNowhere();
    }

    @Test
    void each_signed_in_user_is_served_only_their_own_conversations_on_cosmos_db_too() {
        stopService();
        startService(Map.of("COSMOS_ENDPOINT", CosmosTestServer.endpoint(), "COSMOS_KEY", CosmosTestServer.key(),
                "COSMOS_DATABASE_NAME", "agentchat-sign-in-" + UUID.randomUUID()));

        twoUsersMeetNowhere();
    }

    private void twoUsersMeetNowhere() {
        // given a conversation of Alice's
        String alice = issuer.token("alice", SCOPE, AUDIENCE, Instant.now().plusSeconds(600));
        String bob = issuer.token("bob", SCOPE, AUDIENCE, Instant.now().plusSeconds(600));
        JsonNode done;
        try (SseStream stream = client.chat(AGENT, ServiceUnderTest.body("message", "How do I restart my VM?"),
                "Authorization", "Bearer " + alice)) {
            done = stream.readToEnd().last("done");
        }
        String thread = "/api/agents/" + AGENT + "/threads/" + done.get("thread_id").asText();
        String run = thread + "/runs/" + done.get("run_id").asText();

        // then Alice has it, and for Bob it does not exist on any route
        assertThat(ServiceUnderTest.parse(get("/api/agents/" + AGENT + "/threads", alice).body()).get("total").asInt()).isEqualTo(1);
        assertThat(ServiceUnderTest.parse(get("/api/agents/" + AGENT + "/threads", bob).body()).get("total").asInt()).isZero();
        assertThat(get(thread, alice).statusCode()).isEqualTo(200);
        assertThat(get(run, alice).statusCode()).isEqualTo(200);
        assertThat(get(thread, bob).statusCode()).isEqualTo(404);
        assertThat(get(thread + "/runs", bob).statusCode()).isEqualTo(404);
        assertThat(get(run, bob).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(client.uri(run + "/events")).header("Accept", "text/event-stream").GET(), bob)
                .statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(client.uri(run + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()), bob)
                .statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(client.uri("/api/agents/" + AGENT + "/chat"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ServiceUnderTest.body("message", "Mine now?", "thread_id",
                        done.get("thread_id").asText(), "stream", false))), bob).statusCode())
                .as("a message to Alice's thread").isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(client.uri(thread)).DELETE(), bob).statusCode()).isEqualTo(404);
        assertThat(get(thread, alice).statusCode()).as("Bob's delete changed nothing").isEqualTo(200);
    }

    private HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(client.uri(path)).GET(), token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request);
    }

    /** An OpenID Connect issuer on loopback: its discovery document, its key set, and tokens signed with its key. */
    private record LocalIssuer(HttpServer server, RSAKey key) implements AutoCloseable {

        static LocalIssuer start() throws IOException, JOSEException {
            RSAKey key = new RSAKeyGenerator(2048).keyID("test-key").generate();
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            LocalIssuer issuer = new LocalIssuer(server, key);
            server.createContext("/.well-known/openid-configuration", exchange -> issuer.answer(exchange,
                    "{\"issuer\":\"" + issuer.url() + "\",\"jwks_uri\":\"" + issuer.url() + "/keys\"}"));
            server.createContext("/keys", exchange -> issuer.answer(exchange,
                    new JWKSet(key.toPublicJWK()).toString()));
            server.start();
            return issuer;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** An access token for {@code user}, granting {@code scope}, for {@code audience}, valid until {@code expires}. */
        String token(String user, String scope, String audience, Instant expires) {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(url()).subject(user).audience(audience)
                    .claim("scp", scope).claim("preferred_username", user + "@example.com")
                    .issueTime(Date.from(expires.minusSeconds(3_600))).notBeforeTime(Date.from(expires.minusSeconds(3_600)))
                    .expirationTime(Date.from(expires)).build();
            return SignedTokens.sign(key, claims);
        }

        private void answer(com.sun.net.httpserver.HttpExchange exchange, String json) {
            try (exchange) {
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
