package dev.agentchat.bootstrap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * What the local issuer signs: access tokens for the service (its audience, the delegated scope in {@code scp},
 * as Entra ID writes it: the scope's last path segment) and ID tokens for the browser client (its client id
 * as audience, the nonce of the sign-in that asked).
 */
final class LocalBrowserIssuerTokens {
    /** Back-dated so that a clock a little behind the issuer's still accepts a fresh token. */
    private static final Duration ISSUED_EARLIER = Duration.ofSeconds(30);

    private final String issuer;
    private final RSAKey key;

    LocalBrowserIssuerTokens(String issuer) {
        this.issuer = issuer;
        try {
            this.key = new RSAKeyGenerator(2048).keyID("local-browser-issuer").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public keys, as served at {@code jwks_uri}. */
    String keySet() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** An access token for {@code user} to call {@code audience} with {@code scope}, valid until {@code expires}. */
    String accessToken(LocalBrowserIssuer.User user, String clientId, String audience, String scope, Instant expires) {
        return sign(new JWTClaimsSet.Builder().issuer(issuer).subject(user.subject()).audience(audience)
                .claim("scp", scope).claim("azp", clientId).claim("name", user.name())
                .claim("preferred_username", user.username()).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(Instant.now().minus(ISSUED_EARLIER)))
                .notBeforeTime(Date.from(Instant.now().minus(ISSUED_EARLIER)))
                .expirationTime(Date.from(expires)).build());
    }

    /** The ID token of a sign-in: who signed in, for {@code clientId}, bound to the request by its {@code nonce}. */
    String idToken(LocalBrowserIssuer.User user, String clientId, String nonce, Instant expires) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).subject(user.subject()).audience(clientId)
                .claim("name", user.name()).claim("preferred_username", user.username())
                .issueTime(Date.from(Instant.now().minus(ISSUED_EARLIER))).expirationTime(Date.from(expires));
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        return sign(claims.build());
    }

    private String sign(JWTClaimsSet claims) {
        return SignedTokens.sign(key, claims);
    }
}
