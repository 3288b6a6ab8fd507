package dev.agentchat.adapter.http.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a browser needs to know to call this service, as {@code GET /auth/config} tells the web UI: how callers
 * are authenticated and, where a browser can sign in by itself, the public settings of its OpenID Connect client
 * (the values MSAL is configured with). Nothing here is a secret: a single-page application is a public client.
 *
 * @param kind   how callers prove who they are
 * @param signIn where and as which client a browser signs in; empty when it cannot (no authentication, API keys,
 *               or an issuer without a client registered for browsers), and then the UI asks for an API key
 */
public record BrowserSignIn(Kind kind, Optional<SignIn> signIn) {
    /** The host of Microsoft Entra ID's sign-in pages (the public cloud). */
    public static final String ENTRA_ID_HOST = "login.microsoftonline.com";

    /** How callers are authenticated; {@link #wireName()} is the value the UI reads. */
    public enum Kind {
        NONE("none"), ENTRA_ID("entra_id"), OIDC("oidc"), API_KEY("api_key");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** MSAL's protocol modes: Entra ID's own, or plain OpenID Connect for any other issuer. */
    public enum ProtocolMode {
        AAD, OIDC
    }

    /**
     * A browser's sign-in.
     *
     * @param clientId         the app registration the browser signs in as (a public client, with the service's
     *                         address as a redirect URI)
     * @param authority        where it signs in: Entra ID's tenant URL, or the issuer
     * @param protocolMode     how MSAL talks to the authority
     * @param knownAuthorities the hosts MSAL may trust as the authority without asking Entra ID's discovery
     * @param scopes           what the browser asks its access token for
     */
    public record SignIn(String clientId, URI authority, ProtocolMode protocolMode, List<String> knownAuthorities,
                         List<String> scopes) {
        /** RFC 6749's scope-token: visible ASCII but the double quote and the backslash. */
        private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,512}");
        /** Visible ASCII, without the quote, backslash or comma that a header or a list would mistake. */
        private static final Pattern CLIENT_ID = Pattern.compile("[\\x21\\x23-\\x2B\\x2D-\\x5B\\x5D-\\x7E]{1,256}");

        public SignIn {
            Objects.requireNonNull(clientId, "clientId");
            if (!CLIENT_ID.matcher(clientId).matches()) {
                throw new IllegalArgumentException("a client id is 1 to 256 visible characters without quotes, "
                        + "backslashes or commas, was '" + clientId + "'");
            }
            Objects.requireNonNull(authority, "authority");
            originOf(authority);
            Objects.requireNonNull(protocolMode, "protocolMode");
            knownAuthorities = List.copyOf(knownAuthorities);
            if (knownAuthorities.isEmpty()) {
                throw new IllegalArgumentException("the authority's host must be known");
            }
            scopes = List.copyOf(scopes);
            if (scopes.isEmpty()) {
                throw new IllegalArgumentException("a sign-in asks for at least one scope");
            }
            for (String scope : scopes) {
                if (!SCOPE.matcher(scope).matches()) {
                    throw new IllegalArgumentException("'" + scope + "' is no scope (visible characters, no quotes or "
                            + "backslashes, no blanks)");
                }
            }
        }
    }

    public BrowserSignIn {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(signIn, "signIn");
        boolean canSignIn = switch (kind) {
            case NONE, API_KEY -> false;
            case ENTRA_ID -> true;
            // An issuer without a client registered for browsers: callers still bring its tokens, the UI asks for a key.
            case OIDC -> signIn.isPresent();
        };
        if (canSignIn != signIn.isPresent()) {
            throw new IllegalArgumentException(kind.wireName() + (canSignIn ? " needs" : " takes no") + " browser sign-in");
        }
        signIn.ifPresent(settings -> {
            ProtocolMode expected = kind == Kind.ENTRA_ID ? ProtocolMode.AAD : ProtocolMode.OIDC;
            if (settings.protocolMode() != expected) {
                throw new IllegalArgumentException(kind.wireName() + " signs in with protocol mode " + expected);
            }
        });
    }

    /** No authentication: nobody signs in. */
    public static BrowserSignIn none() {
        return new BrowserSignIn(Kind.NONE, Optional.empty());
    }

    /** API keys only: a person types one in. */
    public static BrowserSignIn apiKey() {
        return new BrowserSignIn(Kind.API_KEY, Optional.empty());
    }

    /** Microsoft Entra ID, one tenant: the browser signs in as {@code clientId} and asks for {@code scopes}. */
    public static BrowserSignIn entraId(String tenantId, String clientId, List<String> scopes) {
        Objects.requireNonNull(tenantId, "tenantId");
        if (!tenantId.matches("[A-Za-z0-9.-]{1,128}")) {
            throw new IllegalArgumentException("'" + tenantId + "' is no Entra ID tenant (a GUID or a domain name)");
        }
        return new BrowserSignIn(Kind.ENTRA_ID, Optional.of(new SignIn(clientId,
                URI.create("https://" + ENTRA_ID_HOST + "/" + tenantId), ProtocolMode.AAD, List.of(ENTRA_ID_HOST), scopes)));
    }

    /**
     * Any other OpenID Connect issuer, which is then the authority; without {@code clientId} (no client registered
     * for browsers) the browser cannot sign in with it.
     */
    public static BrowserSignIn oidc(URI issuer, Optional<String> clientId, List<String> scopes) {
        Objects.requireNonNull(issuer, "issuer");
        String origin = originOf(issuer);
        String host = origin.substring(origin.indexOf("://") + 3);
        return new BrowserSignIn(Kind.OIDC, clientId.map(id -> new SignIn(id, issuer, ProtocolMode.OIDC, List.of(host),
                scopes)));
    }

    /** The origin ({@code scheme://host[:port]}) of the sign-in pages, which the UI's pages must be allowed to reach. */
    public Optional<String> origin() {
        return signIn.map(settings -> originOf(settings.authority()));
    }

    /** The origin of an authority, as a browser compares it: scheme and host in lower case, the port if one is given. */
    static String originOf(URI authority) {
        String scheme = authority.getScheme() == null ? "" : authority.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || authority.getHost() == null
                || authority.getRawUserInfo() != null || authority.getRawQuery() != null || authority.getRawFragment() != null) {
            throw new IllegalArgumentException("an authority is an http(s) URL with a host and no user, query or "
                    + "fragment, was '" + authority + "'");
        }
        String host = authority.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + (authority.getPort() == -1 ? "" : ":" + authority.getPort());
    }
}
