package dev.agentchat.adapter.oidc;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which issuers' tokens are accepted, for which audience, and how their keys are found.
 *
 * @param issuers             the issuers accepted; a token's {@code iss} must equal one of them exactly
 * @param requiredScope       the delegated scope a caller must hold ({@code AUTH_REQUIRED_SCOPE}); the verifier
 *                            reads every scope of {@code scp} into the caller and does not refuse on it, because a
 *                            valid caller without it is answered 403, not 401: the HTTP side checks it
 * @param clockSkew           how far {@code exp} and {@code nbf} may be off the service's clock; at most 60 s
 * @param keyRefetchInterval  the least time between two fetches of an issuer's keys, however many unknown
 *                            {@code kid}s arrive: a rotated key is found within one fetch, and a stream of forged
 *                            key ids cannot make the service hammer the issuer
 */
public record OidcSettings(List<TrustedIssuer> issuers, Optional<String> requiredScope, Duration clockSkew,
                           Duration keyRefetchInterval) {

    /** RFC 8725 and Entra ID's own guidance: a few minutes of clock difference at most. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_KEY_REFETCH_INTERVAL = Duration.ofMinutes(5);

    private static final Pattern TENANT_OR_CLIENT_ID = Pattern.compile("[A-Za-z0-9.-]{1,128}");

    public OidcSettings {
        issuers = List.copyOf(issuers);
        if (issuers.isEmpty()) {
            throw new IllegalArgumentException("at least one issuer must be accepted");
        }
        Objects.requireNonNull(requiredScope, "requiredScope");
        requiredScope = requiredScope.map(String::strip).filter(scope -> !scope.isEmpty());
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew must be between 0 and 60 s, was " + clockSkew);
        }
        Objects.requireNonNull(keyRefetchInterval, "keyRefetchInterval");
        if (keyRefetchInterval.isNegative()) {
            throw new IllegalArgumentException("key refetch interval must not be negative, was " + keyRefetchInterval);
        }
    }

    /**
     * Microsoft Entra ID, one tenant, the API's app registration: its v2.0 tokens (audience the client id)
     * and its v1.0 tokens (audience the App ID URI {@code api://{client id}}, or the client id when a client
     * asked for that resource), which Entra ID issues whenever the app's manifest asks for v1.
     */
    public static OidcSettings entraId(String tenantId, String clientId, String requiredScope) {
        requireEntraId(tenantId, "tenant id");
        requireEntraId(clientId, "client id");
        TrustedIssuer v2 = new TrustedIssuer("https://login.microsoftonline.com/" + tenantId + "/v2.0",
                Set.of(clientId), Optional.empty());
        TrustedIssuer v1 = new TrustedIssuer("https://sts.windows.net/" + tenantId + "/",
                Set.of("api://" + clientId, clientId), Optional.empty());
        return new OidcSettings(List.of(v2, v1), Optional.ofNullable(requiredScope), MAX_CLOCK_SKEW,
                DEFAULT_KEY_REFETCH_INTERVAL);
    }

    /** Any OpenID Connect issuer; its keys are found through its discovery document unless {@code jwksUri} is given. */
    public static OidcSettings issuer(String issuer, String audience, String jwksUri, String requiredScope) {
        Optional<URI> keys = Optional.ofNullable(jwksUri).map(String::strip).filter(uri -> !uri.isEmpty())
                .map(uri -> requireSafeAddress(uri, "JWKS URI"));
        Objects.requireNonNull(audience, "the audience of issuer " + issuer + " must be given");
        return new OidcSettings(List.of(new TrustedIssuer(issuer, Set.of(audience), keys)),
                Optional.ofNullable(requiredScope), MAX_CLOCK_SKEW, DEFAULT_KEY_REFETCH_INTERVAL);
    }

    public OidcSettings withKeyRefetchInterval(Duration interval) {
        return new OidcSettings(issuers, requiredScope, clockSkew, interval);
    }

    public OidcSettings withClockSkew(Duration skew) {
        return new OidcSettings(issuers, requiredScope, skew, keyRefetchInterval);
    }

    /**
     * One issuer whose tokens are accepted.
     *
     * @param issuer    the exact {@code iss} value (compared as a string: no normalisation)
     * @param audiences the {@code aud} values accepted from this issuer; a token must name one of them
     * @param jwksUri   where its keys are; empty to read {@code jwks_uri} from its discovery document
     */
    public record TrustedIssuer(String issuer, Set<String> audiences, Optional<URI> jwksUri) {
        public TrustedIssuer {
            Objects.requireNonNull(issuer, "issuer");
            requireSafeAddress(issuer, "issuer");
            audiences = Set.copyOf(audiences);
            if (audiences.isEmpty() || audiences.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("the audience of issuer " + issuer + " must not be blank");
            }
            Objects.requireNonNull(jwksUri, "jwksUri");
            jwksUri.ifPresent(uri -> requireSafeAddress(uri.toString(), "JWKS URI"));
        }

        /** Where OpenID Connect Discovery 1.0 puts the issuer's metadata: the issuer, less a trailing '/', and the well-known path. */
        URI discoveryDocument() {
            String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            return URI.create(base + "/.well-known/openid-configuration");
        }
    }

    /**
     * An issuer or key address must be {@code https}: keys fetched in clear text could be swapped on the way.
     * {@code http} is allowed on a loopback address only (tests, local development), judged without a DNS
     * lookup so that a name cannot be made to resolve to loopback.
     */
    static URI requireSafeAddress(String address, String name) {
        URI uri;
        try {
            uri = new URI(address);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a valid URI: " + address);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException(name + " must be an https URI with a host, was " + address);
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException(name + " must use https; http is accepted only on a loopback address "
                    + "(localhost, 127.0.0.0/8, [::1]), was " + address);
        }
        return uri;
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        boolean literal = host.startsWith("[") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!literal) {
            return false;
        }
        try {
            // An IP literal is parsed, never looked up.
            return InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void requireEntraId(String value, String name) {
        if (value == null || !TENANT_OR_CLIENT_ID.matcher(value).matches()) {
            throw new IllegalArgumentException("the Entra ID " + name + " must be a GUID or a domain name, was " + value);
        }
    }
}
