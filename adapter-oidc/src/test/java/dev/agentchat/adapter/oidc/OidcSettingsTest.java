package dev.agentchat.adapter.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.agentchat.adapter.oidc.OidcSettings.TrustedIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OidcSettingsTest {
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String CLIENT = "6e74172b-be56-4843-9ff4-e66a39bb12e3";

    @Test
    void entra_id_accepts_the_v2_and_the_v1_issuer_of_the_tenant_each_with_its_audience() {
        OidcSettings settings = OidcSettings.entraId(TENANT, CLIENT, "access_as_user");

        assertThat(settings.issuers()).containsExactly(
                new TrustedIssuer("https://login.microsoftonline.com/" + TENANT + "/v2.0", Set.of(CLIENT), Optional.empty()),
                new TrustedIssuer("https://sts.windows.net/" + TENANT + "/", Set.of("api://" + CLIENT, CLIENT), Optional.empty()));
        assertThat(settings.requiredScope()).contains("access_as_user");
        assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.keyRefetchInterval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void the_discovery_document_of_an_issuer_is_under_its_well_known_path() {
        assertThat(OidcSettings.entraId(TENANT, CLIENT, null).issuers())
                .extracting(TrustedIssuer::discoveryDocument)
                .containsExactly(
                        URI.create("https://login.microsoftonline.com/" + TENANT + "/v2.0/.well-known/openid-configuration"),
                        URI.create("https://sts.windows.net/" + TENANT + "/.well-known/openid-configuration"));
    }

    @Test
    void an_entra_id_tenant_that_could_change_the_issuer_address_is_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> OidcSettings.entraId("contoso/../evil", CLIENT, null))
                .withMessageContaining("tenant id");
        assertThatIllegalArgumentException().isThrownBy(() -> OidcSettings.entraId(TENANT, "", null))
                .withMessageContaining("client id");
    }

    @Test
    void an_http_issuer_is_refused_off_loopback() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OidcSettings.issuer("http://login.example.com/tenant", "api", null, null))
                .withMessageContaining("issuer must use https").withMessageContaining("loopback");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OidcSettings.issuer("http://10.0.0.5/tenant", "api", null, null))
                .withMessageContaining("issuer must use https");
    }

    @Test
    void an_http_jwks_uri_is_refused_off_loopback() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OidcSettings.issuer("https://login.example.com", "api", "http://keys.example.com/jwks", null))
                .withMessageContaining("JWKS URI must use https");
    }

    @Test
    void a_name_that_merely_starts_like_a_loopback_address_is_not_loopback() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OidcSettings.issuer("http://127.0.0.1.nip.io/tenant", "api", null, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OidcSettings.issuer("http://localhost.example.com/tenant", "api", null, null));
    }

    @Test
    void http_is_accepted_on_loopback_addresses() {
        for (String issuer : new String[] {"http://localhost:8080/realms/dev", "http://127.0.0.1:9/t", "http://127.1.2.3/t",
                "http://[::1]:8080/t"}) {
            assertThatNoException().as(issuer).isThrownBy(() -> OidcSettings.issuer(issuer, "api", issuer + "/keys", null));
        }
    }

    @Test
    void an_issuer_that_is_not_an_http_address_is_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> OidcSettings.issuer("file:///etc/keys", "api", null, null));
        assertThatIllegalArgumentException().isThrownBy(() -> OidcSettings.issuer("not a uri", "api", null, null));
    }

    @Test
    void a_clock_skew_beyond_sixty_seconds_is_refused() {
        OidcSettings settings = OidcSettings.issuer("https://login.example.com", "api", null, null);

        assertThatIllegalArgumentException().isThrownBy(() -> settings.withClockSkew(Duration.ofSeconds(61)));
        assertThat(settings.withClockSkew(Duration.ofSeconds(30)).clockSkew()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void a_blank_required_scope_means_none() {
        assertThat(OidcSettings.issuer("https://login.example.com", "api", " ", " ").requiredScope()).isEmpty();
    }

    @Test
    void a_blank_audience_is_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> OidcSettings.issuer("https://login.example.com", " ", null, null))
                .withMessageContaining("audience");
    }
}
