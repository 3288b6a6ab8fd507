package dev.agentchat.adapter.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.agentchat.adapter.oidc.OidcSettings.TrustedIssuer;
import dev.agentchat.ports.auth.CredentialVerifier;
import dev.agentchat.ports.auth.Verification;
import dev.agentchat.ports.time.Clock;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Verifies the signed access tokens of the configured OpenID Connect issuers (RFC 8725, RFC 9068): an
 * asymmetric algorithm from an allow-list, the signature by a key the token's own issuer published, the
 * exact issuer, the audience, and the time window with a little clock skew. A credential that is not a
 * JWS at all (an API key) is {@link Verification.NotMine}, for the next verifier.
 */
public final class OidcTokenVerifier implements CredentialVerifier, AutoCloseable {
    /**
     * Asymmetric only: a verifier that took the token's word for an HMAC algorithm would check it with the
     * public key's bytes as the secret, which anyone can do (RFC 8725, 2.1 and 3.1). And never {@code none}.
     */
    static final Set<JWSAlgorithm> ALLOWED_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    /**
     * RFC 9068 asks for {@code at+jwt}; Entra ID writes {@code JWT}. Any other declared type (a logout or
     * security event token of the same issuer, say) is another kind of token and is not taken for an access token.
     */
    private static final Set<String> ACCESS_TOKEN_TYPES = Set.of("jwt", "at+jwt", "application/at+jwt");

    /** The JWS compact serialization: header, payload, signature, base64url each (the signature empty for alg none). */
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final OidcSettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final Map<String, JwksCache> keysByIssuer;

    public OidcTokenVerifier(OidcSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.keysByIssuer = settings.issuers().stream().collect(Collectors.toUnmodifiableMap(TrustedIssuer::issuer,
                issuer -> new JwksCache(issuer, http, clock, settings.keyRefetchInterval())));
    }

    @Override
    public Verification verify(String credential) {
        if (credential == null || !COMPACT_JWS.matcher(credential).matches()) {
            return new Verification.NotMine();
        }
        JWT token;
        JWTClaimsSet claims;
        try {
            token = JWTParser.parse(credential);
            claims = token.getJWTClaimsSet();
        } catch (ParseException e) {
            return new Verification.Rejected("malformed token: " + printable(e.getMessage()));
        }
        if (!(token instanceof SignedJWT signed)) {
            return new Verification.Rejected("algorithm " + token.getHeader().getAlgorithm() + " is not allowed");
        }
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        if (!ALLOWED_ALGORITHMS.contains(algorithm)) {
            return new Verification.Rejected("algorithm " + printable(algorithm.getName()) + " is not allowed");
        }
        JOSEObjectType type = signed.getHeader().getType();
        if (type != null && !ACCESS_TOKEN_TYPES.contains(type.getType().toLowerCase(Locale.ROOT))) {
            return new Verification.Rejected("token type " + printable(type.getType()) + " is not an access token's");
        }
        // The issuer is read before the signature only to choose whose keys check it: a token claiming an
        // issuer it does not come from fails there.
        TrustedIssuer issuer = settings.issuers().stream().filter(trusted -> trusted.issuer().equals(claims.getIssuer()))
                .findFirst().orElse(null);
        if (issuer == null) {
            return new Verification.Rejected("issuer not accepted: " + printable(claims.getIssuer()));
        }
        return switch (keysByIssuer.get(issuer.issuer()).keysFor(signed.getHeader())) {
            case JwksCache.Lookup.Unreachable unreachable -> new Verification.Unavailable(unreachable.reason());
            case JwksCache.Lookup.NoSuchKey ignored -> new Verification.Rejected(
                    "no key of issuer " + issuer.issuer() + " matches key id " + printable(signed.getHeader().getKeyID()));
            case JwksCache.Lookup.Found found -> signedByAnyOf(signed, found.keys())
                    ? checkClaims(claims, issuer)
                    : new Verification.Rejected("signature invalid");
        };
    }

    private static boolean signedByAnyOf(SignedJWT token, List<JWK> keys) {
        for (JWK key : keys) {
            try {
                JWSVerifier verifier = switch (key) {
                    case RSAKey rsa -> new RSASSAVerifier(rsa.toRSAPublicKey());
                    case ECKey ec -> new ECDSAVerifier(ec.toECPublicKey());
                    default -> null;
                };
                if (verifier != null && token.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException | IllegalStateException e) {
                // A key of the wrong curve or size for this token: it did not sign it; try the next.
            }
        }
        return false;
    }

    private Verification checkClaims(JWTClaimsSet claims, TrustedIssuer issuer) {
        if (claims.getAudience().stream().noneMatch(issuer.audiences()::contains)) {
            return new Verification.Rejected("audience not accepted: " + printable(String.valueOf(claims.getAudience())));
        }
        Instant now = clock.now();
        Duration skew = settings.clockSkew();
        Date expires = claims.getExpirationTime();
        if (expires == null) {
            return new Verification.Rejected("no expiry (exp)");
        }
        if (!now.isBefore(expires.toInstant().plus(skew))) {
            return new Verification.Rejected("expired (exp " + expires.toInstant() + ")");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant().minus(skew))) {
            return new Verification.Rejected("not yet valid (nbf " + notBefore.toInstant() + ")");
        }
        return CallerFromClaims.read(claims);
    }

    /** A reason is logged: what the token said goes in short and without control characters. */
    private static String printable(String said) {
        if (said == null) {
            return "(none)";
        }
        String shown = said.length() > 100 ? said.substring(0, 100) + "..." : said;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public void close() {
        http.close();
    }
}
