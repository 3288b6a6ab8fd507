package dev.agentchat.adapter.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.agentchat.ports.auth.AuthenticatedCaller;
import dev.agentchat.ports.auth.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OidcTokenVerifierTest {
    private static final String AUDIENCE = "api-client-id";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final LocalIssuer issuer = new LocalIssuer();
    private final OidcTokenVerifier verifier = new OidcTokenVerifier(
            OidcSettings.issuer(issuer.issuer(), AUDIENCE, null, null), clock);

    @AfterEach
    void stop() {
        verifier.close();
        issuer.close();
    }

    private JWTClaimsSet.Builder claims() {
        return issuer.claims(AUDIENCE, clock);
    }

    private static AuthenticatedCaller accepted(Verification verdict) {
        assertThat(verdict).isInstanceOf(Verification.Accepted.class);
        return ((Verification.Accepted) verdict).caller();
    }

    private static String rejection(Verification verdict) {
        assertThat(verdict).isInstanceOf(Verification.Rejected.class);
        return ((Verification.Rejected) verdict).reason();
    }

    @Test
    void a_valid_token_signed_with_an_rsa_key_is_accepted() {
        assertThat(verifier.verify(issuer.signedWithRsa(claims().build()))).isInstanceOf(Verification.Accepted.class);
    }

    @Test
    void a_valid_token_signed_with_an_ec_key_is_accepted() {
        assertThat(verifier.verify(issuer.signedWithEc(claims().build()))).isInstanceOf(Verification.Accepted.class);
    }

    @Test
    void the_keys_are_fetched_once_for_many_tokens() {
        for (int i = 0; i < 20; i++) {
            assertThat(verifier.verify(issuer.signedWithRsa(claims().subject("user-" + i).build())))
                    .isInstanceOf(Verification.Accepted.class);
            assertThat(verifier.verify(issuer.signedWithEc(claims().subject("user-" + i).build())))
                    .isInstanceOf(Verification.Accepted.class);
        }

        assertThat(issuer.discoveryRequests()).isEqualTo(1);
        assertThat(issuer.keySetRequests()).isEqualTo(1);
    }

    @Test
    void a_credential_that_is_not_a_signed_token_is_left_to_the_next_verifier() {
        for (String credential : new String[] {"ak_3f9a8b7c6d5e4f3a2b1c", "a.b", "", "one.two.three.four", "a b.c.d"}) {
            assertThat(verifier.verify(credential)).as(credential).isInstanceOf(Verification.NotMine.class);
        }
        assertThat(issuer.keySetRequests()).isZero();
    }

    @Test
    void an_expired_token_is_rejected() {
        String token = issuer.signedWithRsa(claims().expirationTime(Date.from(clock.now().minusSeconds(61))).build());

        assertThat(rejection(verifier.verify(token))).contains("expired");
    }

    @Test
    void a_token_not_yet_valid_is_rejected() {
        String token = issuer.signedWithRsa(claims().notBeforeTime(Date.from(clock.now().plusSeconds(61))).build());

        assertThat(rejection(verifier.verify(token))).contains("not yet valid");
    }

    @Test
    void a_token_within_sixty_seconds_of_clock_skew_is_accepted() {
        String justExpired = issuer.signedWithRsa(claims().expirationTime(Date.from(clock.now().minusSeconds(59))).build());
        String almostValid = issuer.signedWithRsa(claims().notBeforeTime(Date.from(clock.now().plusSeconds(59))).build());

        assertThat(verifier.verify(justExpired)).isInstanceOf(Verification.Accepted.class);
        assertThat(verifier.verify(almostValid)).isInstanceOf(Verification.Accepted.class);
    }

    @Test
    void a_token_without_an_expiry_is_rejected() {
        String token = issuer.signedWithRsa(claims().expirationTime(null).build());

        assertThat(rejection(verifier.verify(token))).contains("exp");
    }

    @Test
    void a_token_of_another_issuer_is_rejected_even_when_signed_with_the_right_key() {
        String token = issuer.signedWithRsa(claims().issuer(issuer.issuer() + "/other").build());

        assertThat(rejection(verifier.verify(token))).contains("issuer");
        assertThat(issuer.keySetRequests()).as("no keys fetched for an issuer not accepted").isZero();
    }

    @Test
    void a_token_for_another_audience_is_rejected() {
        String token = issuer.signedWithRsa(claims().audience(List.of("another-api", "api://another")).build());

        assertThat(rejection(verifier.verify(token))).contains("audience");
    }

    @Test
    void a_token_naming_the_audience_among_others_is_accepted() {
        String token = issuer.signedWithRsa(claims().audience(List.of("another-api", AUDIENCE)).build());

        assertThat(verifier.verify(token)).isInstanceOf(Verification.Accepted.class);
    }

    @Test
    void an_unsigned_token_with_alg_none_is_rejected() {
        String token = new PlainJWT(claims().build()).serialize();

        assertThat(rejection(verifier.verify(token))).contains("algorithm none");
    }

    @Test
    void an_hmac_token_keyed_with_the_public_key_bytes_is_rejected() throws JOSEException {
        byte[] publicKeyBytes = issuer.rsaKey().toRSAPublicKey().getEncoded();
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.rsaKey().getKeyID()).build(),
                claims().build());
        token.sign(new MACSigner(publicKeyBytes));

        assertThat(rejection(verifier.verify(token.serialize()))).contains("algorithm HS256");
    }

    @Test
    void a_token_whose_payload_was_changed_after_signing_is_rejected() {
        String[] parts = issuer.signedWithRsa(claims().subject("someone").build()).split("\\.");
        String otherPayload = Base64URL.encode(claims().subject("someone-else").build().toString()).toString();

        assertThat(rejection(verifier.verify(parts[0] + "." + otherPayload + "." + parts[2]))).contains("signature");
    }

    @Test
    void a_token_declaring_another_type_than_an_access_token_is_rejected() throws JOSEException {
        assertThat(rejection(verifier.verify(typed("logout+jwt")))).contains("token type");
        assertThat(verifier.verify(typed("at+jwt"))).isInstanceOf(Verification.Accepted.class);
        assertThat(verifier.verify(typed("JWT"))).isInstanceOf(Verification.Accepted.class);
    }

    private String typed(String type) throws JOSEException {
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.rsaKey().getKeyID())
                .type(new JOSEObjectType(type)).build(), claims().build());
        token.sign(new RSASSASigner(issuer.rsaKey()));
        return token.serialize();
    }

    @Test
    void what_a_refused_token_said_reaches_the_reason_without_control_characters() {
        String token = issuer.signedWithRsa(claims().issuer("https://evil.example\nlevel=INFO forged line").build());

        assertThat(rejection(verifier.verify(token))).contains("issuer not accepted").doesNotContain("\n");
    }

    @Test
    void a_token_signed_by_another_issuers_key_is_rejected() {
        try (LocalIssuer stranger = new LocalIssuer()) {
            String token = LocalIssuer.sign(claims().build(), JWSAlgorithm.RS256, stranger.rsaKey());
            verifier.verify(issuer.signedWithRsa(claims().build()));

            assertThat(verifier.verify(token)).isInstanceOf(Verification.Rejected.class);
        }
    }

    @Test
    void a_token_signed_with_a_rotated_key_is_accepted_once_the_new_keys_are_fetched() {
        assertThat(verifier.verify(issuer.signedWithRsa(claims().build()))).isInstanceOf(Verification.Accepted.class);
        issuer.rotateKeys();
        clock.advance(OidcSettings.DEFAULT_KEY_REFETCH_INTERVAL);

        assertThat(verifier.verify(issuer.signedWithRsa(claims().build()))).isInstanceOf(Verification.Accepted.class);
        assertThat(issuer.keySetRequests()).isEqualTo(2);
    }

    @Test
    void unknown_key_ids_within_the_refetch_interval_fetch_the_keys_at_most_once() {
        verifier.verify(issuer.signedWithRsa(claims().build()));
        issuer.rotateKeys();
        clock.advance(OidcSettings.DEFAULT_KEY_REFETCH_INTERVAL);
        verifier.verify(issuer.signedWithRsa(claims().build()));
        issuer.rotateKeys();
        clock.advance(OidcSettings.DEFAULT_KEY_REFETCH_INTERVAL.minusSeconds(1));

        String withUnknownKey = issuer.signedWithRsa(claims().build());
        Verification first = verifier.verify(withUnknownKey);
        Verification second = verifier.verify(issuer.signedWithEc(claims().build()));

        assertThat(rejection(first)).contains("no key");
        assertThat(rejection(second)).contains("no key");
        assertThat(issuer.keySetRequests()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        assertThat(verifier.verify(withUnknownKey)).isInstanceOf(Verification.Accepted.class);
        assertThat(issuer.keySetRequests()).isEqualTo(3);
    }

    @Test
    void the_refetch_interval_is_configurable() {
        try (OidcTokenVerifier eager = new OidcTokenVerifier(OidcSettings.issuer(issuer.issuer(), AUDIENCE, null, null)
                .withKeyRefetchInterval(Duration.ofSeconds(30)), clock)) {
            eager.verify(issuer.signedWithRsa(claims().build()));
            issuer.rotateKeys();
            clock.advance(Duration.ofSeconds(30));

            assertThat(eager.verify(issuer.signedWithRsa(claims().build()))).isInstanceOf(Verification.Accepted.class);
        }
    }

    @Test
    void tokens_signed_with_cached_keys_are_accepted_while_the_key_endpoint_is_down() {
        String token = issuer.signedWithRsa(claims().build());
        verifier.verify(token);
        issuer.goDown();
        clock.advance(Duration.ofMinutes(30));

        assertThat(verifier.verify(issuer.signedWithRsa(claims().build()))).isInstanceOf(Verification.Accepted.class);
    }

    @Test
    void a_token_with_a_new_key_while_the_key_endpoint_is_down_is_unavailable_not_rejected() {
        verifier.verify(issuer.signedWithRsa(claims().build()));
        issuer.goDown();
        issuer.rotateKeys();
        clock.advance(OidcSettings.DEFAULT_KEY_REFETCH_INTERVAL);

        assertThat(verifier.verify(issuer.signedWithRsa(claims().build()))).isInstanceOf(Verification.Unavailable.class);
    }

    @Test
    void with_no_keys_cached_and_the_key_endpoint_down_a_token_is_unavailable() {
        issuer.goDown();

        Verification verdict = verifier.verify(issuer.signedWithRsa(claims().build()));

        assertThat(verdict).isInstanceOf(Verification.Unavailable.class);
        assertThat(((Verification.Unavailable) verdict).reason()).contains("503");
    }

    @Test
    void with_no_keys_cached_a_failed_first_fetch_is_retried_after_seconds_not_minutes() {
        issuer.goDown();
        verifier.verify(issuer.signedWithRsa(claims().build()));
        issuer.comeBackUp();

        clock.advance(Duration.ofSeconds(9));
        Verification tooSoon = verifier.verify(issuer.signedWithRsa(claims().build()));
        clock.advance(Duration.ofSeconds(1));
        Verification afterRetry = verifier.verify(issuer.signedWithRsa(claims().build()));

        assertThat(tooSoon).isInstanceOf(Verification.Unavailable.class);
        assertThat(afterRetry).isInstanceOf(Verification.Accepted.class);
        assertThat(issuer.discoveryRequests()).isEqualTo(2);
    }

    @Test
    void the_keys_are_read_from_a_configured_jwks_uri_without_discovery() {
        try (OidcTokenVerifier direct = new OidcTokenVerifier(
                OidcSettings.issuer(issuer.issuer(), AUDIENCE, issuer.issuer() + "/keys", null), clock)) {
            assertThat(direct.verify(issuer.signedWithEc(claims().build()))).isInstanceOf(Verification.Accepted.class);
            assertThat(issuer.keySetRequests()).isEqualTo(1);
        }
    }

    @Test
    void the_caller_of_an_entra_id_token_is_its_tenant_and_object_id() {
        String token = issuer.signedWithRsa(claims().subject("per-app-subject")
                .claim("tid", "72f988bf-86f1-41af-91ab-2d7cd011db47")
                .claim("oid", "00000000-0000-0000-66f3-3332eca7ea81")
                .claim("preferred_username", "ada@example.com").build());

        AuthenticatedCaller caller = accepted(verifier.verify(token));

        assertThat(caller.userId().value()).isEqualTo("72f988bf-86f1-41af-91ab-2d7cd011db47.00000000-0000-0000-66f3-3332eca7ea81");
        assertThat(caller.displayName()).isEqualTo("ada@example.com");
    }

    @Test
    void without_tenant_and_object_id_the_caller_is_the_issuer_and_subject_stably() {
        AuthenticatedCaller first = accepted(verifier.verify(issuer.signedWithRsa(claims().subject("user|42").build())));
        AuthenticatedCaller again = accepted(verifier.verify(issuer.signedWithEc(claims().subject("user|42").build())));
        AuthenticatedCaller other = accepted(verifier.verify(issuer.signedWithRsa(claims().subject("user|43").build())));

        assertThat(first.userId()).isEqualTo(again.userId());
        assertThat(first.userId()).isNotEqualTo(other.userId());
        assertThat(first.userId().value()).startsWith("sub_").doesNotContain(".");
    }

    @Test
    void a_display_name_is_never_the_user_id() {
        AuthenticatedCaller one = accepted(verifier.verify(issuer.signedWithRsa(claims().subject("a").claim("name", "Ada").build())));
        AuthenticatedCaller two = accepted(verifier.verify(issuer.signedWithRsa(claims().subject("b").claim("name", "Ada").build())));

        assertThat(one.displayName()).isEqualTo("Ada");
        assertThat(one.userId()).isNotEqualTo(two.userId());
    }

    @Test
    void roles_and_scopes_are_read_from_the_token() {
        String token = issuer.signedWithRsa(claims().claim("roles", List.of("Agents.Admin", "Reader"))
                .claim("scp", "access_as_user  Files.Read").build());

        AuthenticatedCaller caller = accepted(verifier.verify(token));

        assertThat(caller.roles()).containsExactlyInAnyOrder("Agents.Admin", "Reader");
        assertThat(caller.scopes()).containsExactlyInAnyOrder("access_as_user", "Files.Read");
        assertThat(caller.hasRole("Agents.Admin")).isTrue();
    }

    @Test
    void a_token_without_roles_or_scopes_has_none() {
        AuthenticatedCaller caller = accepted(verifier.verify(issuer.signedWithRsa(claims().build())));

        assertThat(caller.roles()).isEmpty();
        assertThat(caller.scopes()).isEmpty();
    }

    @Test
    void a_token_lacking_the_required_scope_is_still_accepted_so_that_the_caller_is_refused_with_403() {
        try (OidcTokenVerifier scoped = new OidcTokenVerifier(
                OidcSettings.issuer(issuer.issuer(), AUDIENCE, null, "access_as_user"), clock)) {
            AuthenticatedCaller caller = accepted(scoped.verify(issuer.signedWithRsa(claims().claim("scp", "Files.Read").build())));

            assertThat(caller.scopes()).doesNotContain("access_as_user");
            assertThat(caller.credential()).as("held to the scope by the HTTP side").isEqualTo(AuthenticatedCaller.Credential.ACCESS_TOKEN);
        }
    }

    @Test
    void a_discovery_document_naming_another_issuer_is_not_used() {
        try (OidcTokenVerifier confused = new OidcTokenVerifier(new OidcSettings(
                List.of(new OidcSettings.TrustedIssuer(issuer.issuer() + "/", Set.of(AUDIENCE), Optional.empty())),
                Optional.empty(), OidcSettings.MAX_CLOCK_SKEW, OidcSettings.DEFAULT_KEY_REFETCH_INTERVAL), clock)) {
            Verification verdict = confused.verify(issuer.signedWithRsa(claims().issuer(issuer.issuer() + "/").build()));

            assertThat(verdict).isInstanceOf(Verification.Unavailable.class);
            assertThat(issuer.keySetRequests()).isZero();
        }
    }
}
