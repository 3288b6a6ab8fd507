package dev.agentchat.adapter.http.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BrowserSignInTest {
    private static final String TENANT = "contoso.onmicrosoft.com";
    private static final String CLIENT = "22222222-3333-4444-5555-666666666666";

    @Test
    void entra_id_signs_in_at_the_tenant_on_microsofts_sign_in_host() {
        BrowserSignIn signIn = BrowserSignIn.entraId(TENANT, CLIENT, List.of("api://" + CLIENT + "/access_as_user"));

        assertThat(signIn.signIn().orElseThrow().authority()).isEqualTo(URI.create("https://login.microsoftonline.com/" + TENANT));
        assertThat(signIn.signIn().orElseThrow().protocolMode()).isEqualTo(BrowserSignIn.ProtocolMode.AAD);
        assertThat(signIn.signIn().orElseThrow().knownAuthorities()).containsExactly("login.microsoftonline.com");
        assertThat(signIn.origin()).contains("https://login.microsoftonline.com");
    }

    @Test
    void an_issuers_origin_and_known_authority_keep_its_port_and_lose_its_path_and_case() {
        BrowserSignIn signIn = BrowserSignIn.oidc(URI.create("HTTPS://IdP.Example.com:8443/realms/chat"), Optional.of("web"),
                List.of("openid"));

        assertThat(signIn.origin()).contains("https://idp.example.com:8443");
        assertThat(signIn.signIn().orElseThrow().knownAuthorities()).containsExactly("idp.example.com:8443");
        assertThat(BrowserSignIn.oidc(URI.create("https://idp.example.com/"), Optional.of("web"), List.of("openid"))
                .signIn().orElseThrow().knownAuthorities()).containsExactly("idp.example.com");
    }

    @Test
    void without_a_browser_sign_in_there_is_no_origin_to_reach() {
        assertThat(BrowserSignIn.none().origin()).isEmpty();
        assertThat(BrowserSignIn.apiKey().origin()).isEmpty();
        assertThat(BrowserSignIn.oidc(URI.create("https://idp.example.com"), Optional.empty(), List.of("openid")).origin()).isEmpty();
    }

    @Test
    void nonsense_is_refused_when_the_settings_are_made() {
        assertThatThrownBy(() -> BrowserSignIn.entraId("a tenant", CLIENT, List.of("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrowserSignIn.entraId(TENANT, "a \"client\"", List.of("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrowserSignIn.entraId(TENANT, CLIENT, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrowserSignIn.entraId(TENANT, CLIENT, List.of("two scopes"))).isInstanceOf(IllegalArgumentException.class);
        for (String issuer : List.of("ftp://idp.example.com", "https://user@idp.example.com", "https://idp.example.com/?a=b",
                "/relative/only")) {
            assertThatThrownBy(() -> BrowserSignIn.oidc(URI.create(issuer), Optional.of("web"), List.of("openid")))
                    .as(issuer).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new BrowserSignIn(BrowserSignIn.Kind.API_KEY, BrowserSignIn.entraId(TENANT, CLIENT,
                List.of("x")).signIn())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BrowserSignIn(BrowserSignIn.Kind.ENTRA_ID, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
