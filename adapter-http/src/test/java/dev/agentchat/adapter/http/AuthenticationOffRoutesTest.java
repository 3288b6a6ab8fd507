package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Authentication off (the default): anyone is the anonymous user, and browsers stay on the same origin. */
class AuthenticationOffRoutesTest {
    @RegisterExtension
    final RunningApi api = new RunningApi();

    @Test
    void a_request_without_a_credential_is_served_and_one_with_any_credential_too() {
        assertThat(api.client().get("/api/agents").status()).isEqualTo(200);
        assertThat(api.client().send(api.client().request("/api/agents").header("Authorization", "Bearer whatever").GET()).status())
                .isEqualTo(200);
    }

    @Test
    void agent_changes_still_need_the_administrator_key() {
        String definition = ApiClient.json("id", "open", "name", "Open", "instructions", "Answer briefly.");

        ApiClient.Answer withAnotherKey = api.client().send(api.client().request("/api/agents").header("Authorization", "Bearer not-the-key")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(definition)));

        assertThat(withAnotherKey.status()).isEqualTo(403);
        assertThat(api.client().asAdmin("POST", "/api/agents", definition).status()).isEqualTo(201);
    }

    @Test
    void answers_carry_the_security_headers_and_no_cors_header() {
        ApiClient.Answer answer = api.client().send(api.client().request("/api/agents").header("Origin", "https://app.example.com").GET());

        assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(answer.header("Content-Security-Policy")).startsWith("default-src 'none'");
        assertThat(answer.header("Access-Control-Allow-Origin")).isNull();
    }
}
