package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service as {@link Main} starts it, seen from a browser that has not signed in: the page (when the build has
 * the UI), how to sign in, and the policy that lets the page reach its sign-in pages.
 */
class WebUiServiceTest {
    private static final String TENANT = "11111111-2222-3333-4444-555555555555";
    private static final String CLIENT = "66666666-7777-8888-9999-000000000000";

    private ServiceAsDeployed service;
    private ServiceClient client;

    private void start(Map<String, String> values) {
        service = ServiceAsDeployed.start(Settings.forTests(values));
        client = service.client();
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void the_embedded_default_serves_the_ui_it_was_built_with_and_tells_browsers_nobody_signs_in() throws IOException {
        start(Map.of());

        HttpResponse<String> page = client.get("/agents/support-triage");
        HttpResponse<String> config = client.get("/auth/config");

        // The UI comes from the agentchat-web jar, which the service always carries.
        assertThat(service.application().servesWebUi()).isTrue();
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=UTF-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self';", "connect-src 'self';", "frame-src 'none';");
        assertThat(json(config.body())).isEqualTo(json("{\"authentication\":\"none\",\"sign_in\":null}"));
    }

    @Test
    void with_entra_id_on_a_browser_learns_where_to_sign_in_without_a_credential() throws IOException {
        start(Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", CLIENT, "AUTH_REQUIRED_SCOPE", "access_as_user"));

        HttpResponse<String> config = client.get("/auth/config");

        assertThat(client.get("/api/agents").statusCode()).isEqualTo(401);
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(json(config.body())).isEqualTo(json("""
                {"authentication": "entra_id",
                 "sign_in": {"client_id": "%s", "authority": "https://login.microsoftonline.com/%s", "protocol_mode": "AAD",
                             "known_authorities": ["login.microsoftonline.com"], "scopes": ["api://%s/access_as_user"]}}"""
                .formatted(CLIENT, TENANT, CLIENT)));
        assertThat(client.get("/").headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("connect-src 'self' https://login.microsoftonline.com;", "frame-src https://login.microsoftonline.com;");
    }

    private static JsonNode json(String text) throws IOException {
        return new ObjectMapper().readTree(text);
    }
}
