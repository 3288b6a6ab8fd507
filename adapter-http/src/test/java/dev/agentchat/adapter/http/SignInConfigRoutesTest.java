package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.adapter.http.auth.Authentication;
import dev.agentchat.adapter.http.web.BrowserSignIn;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.auth.ApiKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /auth/config} for each way callers are authenticated, asked without a credential (as a page does before
 * anyone signed in) while the API refuses calls without one; and the Content-Security-Policy of each kind of answer,
 * which lets the UI's pages reach the sign-in pages and nothing else.
 */
class SignInConfigRoutesTest {
    static final String TENANT = "11111111-2222-3333-4444-555555555555";
    static final String CLIENT = "22222222-3333-4444-5555-666666666666";
    static final String KEY = "a-key-0123456789abcdef";

    private ApiOverMemory service;
    private ApiClient client;

    @AfterEach
    void stop() {
        if (service != null) {
            client.close();
            service.close();
        }
    }

    private void start(Authentication authentication, UnaryOperator<HttpSettings> settings) {
        service = new ApiOverMemory(authentication, settings.andThen(s -> s.withWebUiFolder(WebUiRoutesTest.FOLDER))::apply);
        client = new ApiClient(service.port());
    }

    private static Authentication on() {
        return Authentication.by(ApiKeys.none().with(ApiKeys.Entry.forKey(KEY, UserId.of("alice"), Set.of())),
                Authentication.DEFAULT_ADMIN_ROLE, Optional.empty());
    }

    @Test
    void an_open_service_tells_browsers_nobody_signs_in() {
        start(Authentication.off(Optional.empty()), UnaryOperator.identity());

        ApiClient.Answer config = client.get("/auth/config");

        assertThat(config.status()).isEqualTo(200);
        assertThat(config.header("Content-Type")).isEqualTo("application/json");
        assertThat(config.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(config.json()).isEqualTo(ApiClient.parse("{\"authentication\":\"none\",\"sign_in\":null}"));
    }

    @Test
    void with_entra_id_the_browser_is_told_its_tenant_client_and_scopes_without_a_credential() {
        start(on(), settings -> settings.withBrowserSignIn(BrowserSignIn.entraId(TENANT, CLIENT,
                List.of("api://" + CLIENT + "/access_as_user"))));

        ApiClient.Answer config = client.get("/auth/config");

        assertThat(client.get("/api/agents").status()).as("the API still wants a credential").isEqualTo(401);
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json()).isEqualTo(ApiClient.parse("""
                {"authentication": "entra_id",
                 "sign_in": {"client_id": "%s", "authority": "https://login.microsoftonline.com/%s",
                             "protocol_mode": "AAD", "known_authorities": ["login.microsoftonline.com"],
                             "scopes": ["api://%s/access_as_user"]}}""".formatted(CLIENT, TENANT, CLIENT)));
    }

    @Test
    void with_another_issuer_the_browser_signs_in_there_when_a_client_is_registered_for_it() {
        start(on(), settings -> settings.withBrowserSignIn(BrowserSignIn.oidc(URI.create("https://idp.example.com:8443/realms/chat"),
                Optional.of("agentchat-web"), List.of("openid", "profile", "access_as_user"))));

        ApiClient.Answer config = client.get("/auth/config");

        assertThat(config.json()).isEqualTo(ApiClient.parse("""
                {"authentication": "oidc",
                 "sign_in": {"client_id": "agentchat-web", "authority": "https://idp.example.com:8443/realms/chat",
                             "protocol_mode": "OIDC", "known_authorities": ["idp.example.com:8443"],
                             "scopes": ["openid", "profile", "access_as_user"]}}"""));
    }

    @Test
    void with_another_issuer_and_no_client_for_browsers_there_is_no_sign_in() {
        start(on(), settings -> settings.withBrowserSignIn(BrowserSignIn.oidc(URI.create("https://idp.example.com"),
                Optional.empty(), List.of("openid"))));

        assertThat(client.get("/auth/config").json())
                .isEqualTo(ApiClient.parse("{\"authentication\":\"oidc\",\"sign_in\":null}"));
    }

    @Test
    void with_api_keys_alone_the_browser_asks_for_a_key() {
        start(on(), UnaryOperator.identity());

        assertThat(client.get("/auth/config").json())
                .isEqualTo(ApiClient.parse("{\"authentication\":\"api_key\",\"sign_in\":null}"));
    }

    @Test
    void a_web_application_of_an_allowed_origin_may_read_how_to_sign_in_and_no_other_origin_may() {
        start(on(), settings -> new HttpSettings(settings.heartbeatInterval(), settings.maxBodyBytes(), settings.readTimeout(),
                settings.maxConnections(), List.of("https://app.example.com"), settings.webUiFolder(), settings.browserSignIn())
                .withBrowserSignIn(BrowserSignIn.entraId(TENANT, CLIENT, List.of("api://" + CLIENT + "/access_as_user"))));

        ApiClient.Answer allowed = client.send(client.request("/auth/config").header("Origin", "https://app.example.com").GET());
        ApiClient.Answer other = client.send(client.request("/auth/config").header("Origin", "https://evil.example.net").GET());

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(allowed.header("Vary")).contains("Origin");
        assertThat(other.status()).as("the settings are public; only a browser's reading of them is refused").isEqualTo(200);
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void head_answers_as_get_would_and_other_methods_are_refused() {
        start(on(), UnaryOperator.identity());

        ApiClient.Answer get = client.get("/auth/config");
        ApiClient.Answer head = client.send(client.request("/auth/config").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        ApiClient.Answer post = client.post("/auth/config", "{}");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(get.body().length()));
        assertThat(head.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET");
    }

    @Test
    void browsers_are_never_told_something_else_than_the_authentication_does() {
        BrowserSignIn entraId = BrowserSignIn.entraId(TENANT, CLIENT, List.of("api://" + CLIENT + "/.default"));

        assertThatThrownBy(() -> new ApiOverMemory(Authentication.off(Optional.empty()), s -> s.withBrowserSignIn(entraId)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entra_id");
        assertThatThrownBy(() -> new ApiOverMemory(on(), s -> s.withBrowserSignIn(BrowserSignIn.none())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none");
    }

    @Test
    void the_ui_may_load_only_its_own_files_and_reach_no_sign_in_page_when_nobody_signs_in() {
        start(Authentication.off(Optional.empty()), UnaryOperator.identity());
        String policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

        for (String path : List.of("/", "/agents/support-triage", "/agents/a/threads/t", WebUiRoutesTest.SCRIPT,
                "/favicon.svg", "/assets/index-missing.js")) {
            assertThat(client.get(path).header("Content-Security-Policy")).as(path).isEqualTo(policy);
        }
    }

    @Test
    void the_ui_may_reach_the_sign_in_pages_of_its_authority_and_no_other() {
        start(on(), settings -> settings.withBrowserSignIn(BrowserSignIn.entraId(TENANT, CLIENT,
                List.of("api://" + CLIENT + "/.default"))));

        assertThat(client.get("/agents/support-triage").header("Content-Security-Policy")).isEqualTo(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                        + "connect-src 'self' https://login.microsoftonline.com; frame-src https://login.microsoftonline.com; "
                        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
    }

    @Test
    void the_api_and_the_sign_in_settings_load_nothing_and_the_documentation_keeps_its_page_policy() {
        start(on(), settings -> settings.withBrowserSignIn(BrowserSignIn.oidc(URI.create("http://127.0.0.1:9999/issuer"),
                Optional.of("web"), List.of("openid"))));

        assertThat(client.get("/").header("Content-Security-Policy")).contains("connect-src 'self' http://127.0.0.1:9999;",
                "frame-src http://127.0.0.1:9999;");
        for (String path : List.of("/api/agents", "/auth/config", "/health", "/no/such/path")) {
            assertThat(client.get(path).header("Content-Security-Policy")).as(path).isEqualTo("default-src 'none'; frame-ancestors 'none'");
        }
        assertThat(client.get("/docs/").header("Content-Security-Policy")).startsWith("default-src 'self'; script-src 'self' 'unsafe-inline'");
    }
}
