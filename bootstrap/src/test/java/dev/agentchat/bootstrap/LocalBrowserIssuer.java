package dev.agentchat.bootstrap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenID Connect issuer on loopback that a browser signs in with, as MSAL.js does against Entra ID: the
 * authorization code flow with PKCE for one single-page client, over {@code https} with a self-signed
 * certificate ({@link LocalBrowserIssuerCertificate}). Its key set is also served over plain {@code http} on a
 * second loopback port, for the service, which does not trust that certificate.
 *
 * <p>There is no login form: whoever {@link #signInAs signs in} is signed in as soon as the browser arrives,
 * and stays signed in (for {@code prompt=none}) until {@code end_session_endpoint}. The test can
 * {@link #expireNextAccessTokenAndEndSession end the session} as the next access token is issued already expired:
 * the service refuses that token, and the refresh token no longer works.
 */
final class LocalBrowserIssuer implements AutoCloseable {
    /** Who signs in. */
    record User(String subject, String name) {
        String username() {
            return subject + "@example.com";
        }
    }

    /** One visit to the authorization endpoint, as the browser made it. */
    record Authorization(Map<String, String> parameters) {
    }

    /** One call of the token endpoint: which grant, and whether tokens were issued for it. */
    record Redemption(String grantType, boolean granted) {
    }

    private record Grant(User user, String redirectUri, String codeChallenge, String nonce, String scope) {
    }

    private record Session(User user, String scope) {
    }

    private final HttpsServer server;
    private final HttpServer keysServer;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final String clientId;
    private final String audience;
    private final String requiredScope;
    private final Duration accessTokenLifetime;
    private final LocalBrowserIssuerTokens tokens;
    private final Set<String> allowedOrigins = ConcurrentHashMap.newKeySet();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Session> refreshTokens = new ConcurrentHashMap<>();
    private final List<Authorization> authorizations = new CopyOnWriteArrayList<>();
    private final List<Redemption> redemptions = new CopyOnWriteArrayList<>();
    private final List<String> logouts = new CopyOnWriteArrayList<>();
    private volatile User signingIn;
    private volatile User signedIn;
    private volatile boolean endSessionWithNextToken;

    private LocalBrowserIssuer(String clientId, String audience, String requiredScope, Duration accessTokenLifetime)
            throws IOException {
        this.clientId = clientId;
        this.audience = audience;
        this.requiredScope = requiredScope;
        this.accessTokenLifetime = accessTokenLifetime;
        // 127.0.0.1 itself, not whatever loopback the JVM prefers: the issuer's URL names it.
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        server = HttpsServer.create(new InetSocketAddress(loopback, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(LocalBrowserIssuerCertificate.forLoopback()));
        keysServer = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        tokens = new LocalBrowserIssuerTokens(url());
    }

    /**
     * Starts an issuer for the single-page client {@code clientId}, whose access tokens are for {@code audience}
     * and grant {@code requiredScope}, each valid for {@code accessTokenLifetime}.
     */
    static LocalBrowserIssuer start(String clientId, String audience, String requiredScope, Duration accessTokenLifetime) {
        try {
            LocalBrowserIssuer issuer = new LocalBrowserIssuer(clientId, audience, requiredScope, accessTokenLifetime);
            LocalBrowserIssuerEndpoints endpoints = new LocalBrowserIssuerEndpoints(issuer);
            endpoints.serveOn(issuer.server);
            endpoints.serveKeysOn(issuer.keysServer);
            issuer.server.setExecutor(issuer.threads);
            issuer.keysServer.setExecutor(issuer.threads);
            issuer.server.start();
            issuer.keysServer.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException("The local issuer could not start", e);
        }
    }

    /** The issuer's identifier and authority: {@code https://127.0.0.1:<port>}. */
    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Where the service fetches the keys: plain {@code http} on loopback, since nothing trusts the certificate. */
    String keysUrl() {
        return "http://127.0.0.1:" + keysServer.getAddress().getPort() + "/keys";
    }

    /** Registers the web application at {@code origin}: its redirect URI is {@code origin + "/"}, and it may call the issuer. */
    void allowApplication(String origin) {
        allowedOrigins.add(origin);
    }

    /** The next visit to the authorization endpoint signs in {@code user}. */
    void signInAs(User user) {
        signingIn = user;
    }

    /**
     * The next access token issued has already expired, and the session ends as it is issued: the service refuses
     * that token, and getting another needs an interactive sign-in (as when an administrator revokes a session).
     */
    void expireNextAccessTokenAndEndSession() {
        endSessionWithNextToken = true;
    }

    /** An access token for {@code user} to call the service with, as the browser would get one. */
    String accessTokenFor(User user) {
        return tokens.accessToken(user, clientId, audience, requiredScope, Instant.now().plus(accessTokenLifetime));
    }

    List<Authorization> authorizations() {
        return List.copyOf(authorizations);
    }

    List<Redemption> redemptions() {
        return List.copyOf(redemptions);
    }

    List<String> logouts() {
        return List.copyOf(logouts);
    }

    // --- what the endpoints decide, kept here with the state they read ---

    String clientId() {
        return clientId;
    }

    boolean isAllowedOrigin(String origin) {
        return origin != null && allowedOrigins.contains(origin);
    }

    boolean isRedirectUri(String uri) {
        return uri != null && allowedOrigins.stream().anyMatch(origin -> uri.equals(origin + "/"));
    }

    String keySet() {
        return tokens.keySet();
    }

    /** Records a visit and answers the code for it, or null when nobody is (or can silently be) signed in. */
    String authorize(Map<String, String> parameters) {
        authorizations.add(new Authorization(Map.copyOf(parameters)));
        User user = "none".equals(parameters.get("prompt")) ? signedIn : signingIn;
        if (user == null) {
            return null;
        }
        signedIn = user;
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(user, parameters.get("redirect_uri"), parameters.get("code_challenge"),
                parameters.get("nonce"), parameters.getOrDefault("scope", "")));
        return code;
    }

    /** The token response for an authorization code, or an OAuth error (RFC 6749, 5.2) when the exchange is refused. */
    ObjectNode redeemCode(Map<String, String> form) {
        return recorded("authorization_code", exchangeCode(form));
    }

    /** The token response for a refresh token, or an OAuth error when the session was revoked. */
    ObjectNode redeemRefreshToken(Map<String, String> form) {
        return recorded("refresh_token", refresh(form));
    }

    private ObjectNode recorded(String grantType, ObjectNode answer) {
        redemptions.add(new Redemption(grantType, !answer.has("error")));
        return answer;
    }

    private ObjectNode exchangeCode(Map<String, String> form) {
        Grant grant = codes.remove(form.getOrDefault("code", ""));
        if (grant == null) {
            return error("invalid_grant", "unknown or already used authorization code");
        }
        if (!clientId.equals(form.get("client_id")) || !grant.redirectUri().equals(form.get("redirect_uri"))) {
            return error("invalid_grant", "client_id or redirect_uri differ from the authorization request");
        }
        if (grant.codeChallenge() == null || !grant.codeChallenge().equals(s256(form.getOrDefault("code_verifier", "")))) {
            return error("invalid_grant", "the PKCE code_verifier does not match the code_challenge");
        }
        return tokenResponse(grant.user(), grant.scope(), grant.nonce());
    }

    private ObjectNode refresh(Map<String, String> form) {
        Session session = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
        if (session == null || !clientId.equals(form.get("client_id"))) {
            // The description names interaction_required, as Entra ID's does (AADSTS50173 and kin): MSAL then
            // asks for an interactive sign-in instead of trying a hidden frame first.
            return error("invalid_grant", "interaction_required: the session has ended; sign in again");
        }
        return tokenResponse(session.user(), form.getOrDefault("scope", session.scope()), null);
    }

    void logout(String postLogoutRedirectUri) {
        logouts.add(postLogoutRedirectUri == null ? "" : postLogoutRedirectUri);
        endSession();
    }

    /** Ends the browser's session here: its refresh tokens stop working, and signing in again needs the login. */
    private void endSession() {
        refreshTokens.clear();
        signedIn = null;
    }

    private synchronized ObjectNode tokenResponse(User user, String scope, String nonce) {
        Instant now = Instant.now();
        boolean endingSession = endSessionWithNextToken;
        endSessionWithNextToken = false;
        // Expired by more than the service's largest allowed clock skew (60 s).
        Instant accessExpires = endingSession ? now.minus(Duration.ofMinutes(10)) : now.plus(accessTokenLifetime);
        String refreshToken = UUID.randomUUID().toString();
        if (endingSession) {
            endSession();
        } else {
            refreshTokens.put(refreshToken, new Session(user, scope));
        }
        ObjectNode body = ServiceUnderTest.JSON.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("scope", scope);
        body.put("expires_in", accessTokenLifetime.toSeconds());
        body.put("access_token", tokens.accessToken(user, clientId, audience, requiredScope, accessExpires));
        body.put("id_token", tokens.idToken(user, clientId, nonce, now.plus(Duration.ofHours(1))));
        body.put("refresh_token", refreshToken);
        return body;
    }

    private static ObjectNode error(String code, String description) {
        ObjectNode body = ServiceUnderTest.JSON.createObjectNode();
        body.put("error", code);
        body.put("error_description", description);
        return body;
    }

    /** RFC 7636, 4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> parseForm(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(name, value);
        }
        return values;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        keysServer.stop(0);
        threads.shutdownNow();
    }
}
