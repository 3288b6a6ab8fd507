package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenIssuersTest {

    @Test
    void with_no_issuer_configured_no_tokens_are_taken() {
        assertThat(TokenIssuers.from(Settings.forTests().values())).isEmpty();
    }

    @Test
    void an_entra_id_tenant_and_client_accept_its_v2_and_v1_issuers() {
        var settings = TokenIssuers.from(Settings.forTests(Map.of("AZURE_TENANT_ID", "11111111-2222-3333-4444-555555555555",
                "AZURE_CLIENT_ID", "66666666-7777-8888-9999-000000000000", "AUTH_REQUIRED_SCOPE", "access_as_user")).values())
                .orElseThrow();

        assertThat(settings.issuers()).extracting(issuer -> issuer.issuer()).containsExactly(
                "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0",
                "https://sts.windows.net/11111111-2222-3333-4444-555555555555/");
        assertThat(settings.requiredScope()).contains("access_as_user");
    }

    @Test
    void another_issuer_is_named_with_its_audience() {
        var settings = TokenIssuers.from(Settings.forTests(Map.of("AUTH_ISSUER", "https://issuer.example.com",
                "AUTH_AUDIENCE", "agentchat")).values()).orElseThrow();

        assertThat(settings.issuers()).singleElement().satisfies(issuer -> {
            assertThat(issuer.issuer()).isEqualTo("https://issuer.example.com");
            assertThat(issuer.audiences()).containsExactly("agentchat");
        });
    }

    @Test
    void half_a_configuration_or_two_of_them_is_refused_at_start() {
        assertThatThrownBy(() -> TokenIssuers.from(Settings.forTests(Map.of("AZURE_TENANT_ID", "x")).values()))
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("AZURE_CLIENT_ID");
        assertThatThrownBy(() -> TokenIssuers.from(Settings.forTests(Map.of("AUTH_ISSUER", "https://issuer.example.com")).values()))
                .isInstanceOf(Settings.InvalidSettings.class).hasMessageContaining("AUTH_AUDIENCE");
        assertThatThrownBy(() -> TokenIssuers.from(Settings.forTests(Map.of("AUTH_ISSUER", "http://issuer.example.com",
                "AUTH_AUDIENCE", "agentchat")).values())).isInstanceOf(Settings.InvalidSettings.class);
    }
}
