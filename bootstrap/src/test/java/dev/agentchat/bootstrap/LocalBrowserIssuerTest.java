package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local issuer refuses what a real one refuses, so that a browser signing in with it shows MSAL.js doing the
 * protocol right: a code is redeemed once, by the verifier of its PKCE challenge, for its redirect URI; and it
 * never redirects to an address the application did not register.
 */
class LocalBrowserIssuerTest {
    private static final String ORIGIN = "http://127.0.0.1:8000";
    private static final String VERIFIER = "a-code-verifier-of-forty-three-characters-at-least";

    private final LocalBrowserIssuer issuer = LocalBrowserIssuer.start("web", "agentchat", "access_as_user",
            Duration.ofMinutes(2));
    private final HttpClient http = HttpClient.newBuilder().sslContext(trustingAnyCertificate()).build();

    @AfterEach
    void stop() {
        http.close();
        issuer.close();
    }

    @Test
    void a_code_is_redeemed_once_and_only_with_the_verifier_of_its_challenge() throws Exception {
        issuer.allowApplication(ORIGIN);
        issuer.signInAs(new LocalBrowserIssuer.User("ada", "Ada Lovelace"));

        String wrongVerifier = redeem(authorize(s256(VERIFIER)), "not-" + VERIFIER).body();
        HttpResponse<String> right = redeem(authorize(s256(VERIFIER)), VERIFIER);
        String code = authorize(s256(VERIFIER));
        redeem(code, VERIFIER);
        String again = redeem(code, VERIFIER).body();

        assertThat(json(wrongVerifier).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(json(right.body()).path("id_token").asText()).isNotBlank();
        assertThat(right.headers().firstValue("Access-Control-Allow-Origin")).contains(ORIGIN);
        assertThat(json(again).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void an_unregistered_redirect_uri_gets_an_error_page_and_no_redirect() throws Exception {
        issuer.allowApplication(ORIGIN);
        issuer.signInAs(new LocalBrowserIssuer.User("ada", "Ada Lovelace"));

        HttpResponse<String> answer = get(authorizeUri("https://elsewhere.example/", s256(VERIFIER)));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Location")).isEmpty();
    }

    /** Visits the authorization endpoint as the application would, and answers the code it redirects back with. */
    private String authorize(String challenge) throws Exception {
        HttpResponse<String> answer = get(authorizeUri(ORIGIN + "/", challenge));
        assertThat(answer.statusCode()).isEqualTo(302);
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(ORIGIN + "/#");
        Map<String, String> fragment = LocalBrowserIssuer.parseForm(URI.create(location).getRawFragment());
        assertThat(fragment).containsEntry("state", "s");
        return fragment.get("code");
    }

    private URI authorizeUri(String redirectUri, String challenge) {
        return URI.create(issuer.url() + "/authorize?" + form(Map.of("client_id", "web", "redirect_uri", redirectUri,
                "response_type", "code", "response_mode", "fragment", "scope", "openid api://agentchat/access_as_user",
                "state", "s", "nonce", "n", "code_challenge", challenge, "code_challenge_method", "S256")));
    }

    private HttpResponse<String> redeem(String code, String verifier) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(issuer.url() + "/token")).header("Origin", ORIGIN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code", code,
                        "client_id", "web", "redirect_uri", ORIGIN + "/", "code_verifier", verifier)))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> LocalBrowserIssuer.encode(e.getKey()) + "="
                + LocalBrowserIssuer.encode(e.getValue())).collect(Collectors.joining("&"));
    }

    private static JsonNode json(String body) {
        return ServiceUnderTest.parse(body);
    }

    private static String s256(String verifier) throws NoSuchAlgorithmException {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The issuer's certificate is self-signed for this run; what is under test here is its protocol, not its TLS. */
    private static SSLContext trustingAnyCertificate() {
        TrustManager anything = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {anything}, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
