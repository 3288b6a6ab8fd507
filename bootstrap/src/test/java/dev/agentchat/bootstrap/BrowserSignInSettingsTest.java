package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.adapter.http.web.BrowserSignIn;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How browsers are told to sign in ({@code /auth/config}), from the settings: WEB_CLIENT_ID, WEB_SCOPES and the issuer's. */
class BrowserSignInSettingsTest {
    private static final String TENANT = "11111111-2222-3333-4444-555555555555";
    private static final String API_CLIENT = "66666666-7777-8888-9999-000000000000";
    private static final String WEB_CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    private static BrowserSignIn signIn(boolean authenticationOn, String... settings) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        return ApiAccess.browserSignIn(Settings.forTests(values), authenticationOn);
    }

    private static BrowserSignIn.SignIn settingsOf(BrowserSignIn signIn) {
        return signIn.signIn().orElseThrow();
    }

    @Test
    void nothing_configured_is_no_sign_in_and_api_keys_alone_ask_for_a_key() {
        assertThat(signIn(false)).isEqualTo(BrowserSignIn.none());
        assertThat(signIn(true, "API_KEYS_FILE", "/etc/agentchat/keys")).isEqualTo(BrowserSignIn.apiKey());
    }

    @Test
    void entra_id_signs_browsers_in_as_the_apis_registration_for_all_its_scopes_by_default() {
        BrowserSignIn signIn = signIn(true, "AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", API_CLIENT);

        assertThat(signIn.kind()).isEqualTo(BrowserSignIn.Kind.ENTRA_ID);
        assertThat(settingsOf(signIn).clientId()).isEqualTo(API_CLIENT);
        assertThat(settingsOf(signIn).authority()).isEqualTo(URI.create("https://login.microsoftonline.com/" + TENANT));
        assertThat(settingsOf(signIn).protocolMode()).isEqualTo(BrowserSignIn.ProtocolMode.AAD);
        assertThat(settingsOf(signIn).knownAuthorities()).containsExactly("login.microsoftonline.com");
        assertThat(settingsOf(signIn).scopes()).containsExactly("api://" + API_CLIENT + "/.default");
    }

    @Test
    void entra_id_asks_for_the_required_scope_and_takes_the_web_client_and_scopes_when_set() {
        assertThat(settingsOf(signIn(true, "AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", API_CLIENT,
                "AUTH_REQUIRED_SCOPE", "access_as_user")).scopes()).containsExactly("api://" + API_CLIENT + "/access_as_user");

        BrowserSignIn.SignIn own = settingsOf(signIn(true, "AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", API_CLIENT,
                "AUTH_REQUIRED_SCOPE", "access_as_user", "WEB_CLIENT_ID", WEB_CLIENT,
                "WEB_SCOPES", "api://agentchat.contoso.com/access_as_user, openid  profile"));
        assertThat(own.clientId()).isEqualTo(WEB_CLIENT);
        assertThat(own.scopes()).containsExactly("api://agentchat.contoso.com/access_as_user", "openid", "profile");
    }

    @Test
    void another_issuer_is_the_authority_and_signs_in_only_with_a_client_registered_for_browsers() {
        assertThat(signIn(true, "AUTH_ISSUER", "https://idp.example.com/realms/chat", "AUTH_AUDIENCE", "agentchat"))
                .isEqualTo(new BrowserSignIn(BrowserSignIn.Kind.OIDC, java.util.Optional.empty()));

        BrowserSignIn signIn = signIn(true, "AUTH_ISSUER", "https://idp.example.com:8443/realms/chat", "AUTH_AUDIENCE", "agentchat",
                "AUTH_REQUIRED_SCOPE", "chat", "WEB_CLIENT_ID", "agentchat-web");
        assertThat(settingsOf(signIn).authority()).isEqualTo(URI.create("https://idp.example.com:8443/realms/chat"));
        assertThat(settingsOf(signIn).protocolMode()).isEqualTo(BrowserSignIn.ProtocolMode.OIDC);
        assertThat(settingsOf(signIn).knownAuthorities()).containsExactly("idp.example.com:8443");
        assertThat(settingsOf(signIn).scopes()).containsExactly("openid", "profile", "chat");
        assertThat(settingsOf(signIn(true, "AUTH_ISSUER", "https://idp.example.com", "AUTH_AUDIENCE", "agentchat",
                "WEB_CLIENT_ID", "agentchat-web", "WEB_SCOPES", "openid email")).scopes()).containsExactly("openid", "email");
    }

    @Test
    void nonsense_in_the_web_settings_is_refused_at_start_with_the_settings_name() {
        for (Map<String, String> nonsense : List.of(
                Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", API_CLIENT, "WEB_CLIENT_ID", "two words"),
                Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", API_CLIENT, "WEB_CLIENT_ID", "\"quoted\""),
                Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", API_CLIENT, "WEB_SCOPES", " , ,"),
                Map.of("AZURE_TENANT_ID", TENANT, "AZURE_CLIENT_ID", API_CLIENT, "WEB_SCOPES", "openid \"profile\""),
                Map.of("AUTH_REQUIRED_SCOPE", "access as user"))) {
            String name = nonsense.keySet().stream().filter(key -> key.startsWith("WEB_") || key.equals("AUTH_REQUIRED_SCOPE"))
                    .findFirst().orElseThrow();
            assertThatThrownBy(() -> Settings.forTests(nonsense)).as(nonsense.toString())
                    .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining(name);
        }
    }

    @Test
    void web_settings_without_an_issuer_to_sign_in_with_are_refused_at_start() {
        assertThatThrownBy(() -> Settings.forTests(Map.of("WEB_CLIENT_ID", WEB_CLIENT)))
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("AZURE_TENANT_ID").hasMessageContaining("AUTH_ISSUER");
        assertThatThrownBy(() -> Settings.forTests(Map.of("API_KEYS_FILE", "/etc/keys", "WEB_SCOPES", "openid")))
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("WEB_SCOPES");
    }

    @Test
    void an_issuer_browsers_could_not_sign_in_with_is_refused_at_start() {
        // scopes without the client that would ask for them
        assertThatThrownBy(() -> Settings.forTests(Map.of("AUTH_ISSUER", "https://idp.example.com", "AUTH_AUDIENCE", "agentchat",
                "WEB_SCOPES", "openid")))
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("WEB_SCOPES").hasMessageContaining("WEB_CLIENT_ID");
        // a plain http issuer, which the browser's sign-in library refuses even on loopback
        assertThatThrownBy(() -> Settings.forTests(Map.of("AUTH_ISSUER", "http://127.0.0.1:9000", "AUTH_AUDIENCE", "agentchat",
                "WEB_CLIENT_ID", WEB_CLIENT)))
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("https").hasMessageContaining("http://127.0.0.1:9000");
        // the API alone may still take tokens of a loopback http issuer
        assertThat(Settings.forTests(Map.of("AUTH_ISSUER", "http://127.0.0.1:9000", "AUTH_AUDIENCE", "agentchat"))).isNotNull();
    }

    @Test
    void the_web_settings_are_read_like_the_others() {
        Settings settings = Settings.forTests(Map.of("AUTH_ISSUER", "https://idp.example.com", "AUTH_AUDIENCE", "agentchat",
                "WEB_CLIENT_ID", " agentchat-web ", "WEB_SCOPES", "openid,profile,openid"));

        assertThat(settings.webClientId()).contains("agentchat-web");
        assertThat(settings.webScopes()).containsExactly("openid", "profile");
        assertThat(Settings.forTests().webClientId()).isEmpty();
        assertThat(Settings.forTests().webScopes()).isEmpty();
    }
}
