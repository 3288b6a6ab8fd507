package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signing in from the browser: the UI served by the service, with authentication on against a local OpenID
 * Connect issuer ({@link LocalBrowserIssuer}), driven in Chromium. MSAL.js runs unchanged, in OIDC protocol
 * mode, against the issuer's {@code https} loopback address.
 *
 * <p>What this cannot cover: Microsoft Entra ID itself, which a closed network cannot reach: its instance
 * discovery (MSAL skips it for a host in {@code known_authorities}), MSAL's AAD protocol mode ({@code v2.0}
 * discovery, {@code client_info}), a real tenant's login, consent and conditional access; the service's
 * {@code entra_id} settings always name login.microsoftonline.com. Nor a trusted certificate: this browser ignores
 * certificate errors, and the service reads the issuer's keys over plain http on loopback. Nor silent renewal in a
 * hidden frame ({@code prompt=none}): refresh tokens renew the tokens, and an ended session asks for a login.
 */
class BrowserSignInTest {
    private static final String CLIENT_ID = "agentchat-web";
    private static final String AUDIENCE = "agentchat";
    private static final String SCOPE = "access_as_user";
    private static final String AGENT = "support-triage";
    private static final LocalBrowserIssuer.User ADA = new LocalBrowserIssuer.User("ada", "Ada Lovelace");
    private static final LocalBrowserIssuer.User BOB = new LocalBrowserIssuer.User("bob", "Bob Babbage");
    /**
     * Shorter than MSAL's renewal window (it renews a token due to expire within 300 s), so the browser asks the
     * issuer for a fresh access token before each call and a token the issuer spoils reaches the service at once.
     */
    private static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofSeconds(120);

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    private LocalBrowserIssuer issuer;
    private Application application;
    private ServiceClient client;
    private BrowserSignInPage page;

    @BeforeEach
    void start() {
        issuer = browsers.serving(LocalBrowserIssuer.start(CLIENT_ID, AUDIENCE, SCOPE, ACCESS_TOKEN_LIFETIME));
        // The service cannot trust the issuer's self-signed certificate, so it reads the keys over plain http.
        Settings settings = Settings.forTests(Map.of("AUTH_ISSUER", issuer.url(), "AUTH_AUDIENCE", AUDIENCE,
                "AUTH_REQUIRED_SCOPE", SCOPE, "AUTH_JWKS_URI", issuer.keysUrl(), "WEB_CLIENT_ID", CLIENT_ID,
                "WEB_SCOPES", "api://" + AUDIENCE + "/" + SCOPE, "DEMO_MODEL_DELAY_MS", "5"));
        Components components = browsers.serving(Main.chooseComponents(settings).build());
        application = browsers.serving(Application.start(settings, components));
        client = browsers.serving(new ServiceClient(application.port()));
        issuer.allowApplication(origin());
        issuer.signInAs(ADA);
        page = BrowserSignInPage.withLocalIssuer(browsers.desktop(), origin());
    }

    @Test
    void signing_in_goes_through_the_issuer_and_every_call_then_carries_the_users_token() {
        // given the service's public sign-in settings name the local issuer
        JsonNode config = ServiceUnderTest.parse(client.send(HttpRequest.newBuilder(client.uri("/auth/config")).GET()).body());
        assertThat(config.path("authentication").asText()).isEqualTo("oidc");
        assertThat(config.path("sign_in").path("authority").asText()).isEqualTo(issuer.url());

        // when Ada opens the UI, signs in and chats
        page.visit("/");
        page.click("Sign in");
        page.awaitSignedInAs(ADA.name());
        page.visit("/agents/" + AGENT);
        page.send("How do I restart my VM?");
        String answer = page.awaitLastAnswerComplete();

        // then she went through the issuer once (its code redeemed with PKCE, her tokens renewed silently since),
        // and every call to the API carried her token
        assertThat(issuer.authorizations()).hasSize(1);
        assertThat(issuer.authorizations().getFirst().parameters()).containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", origin() + "/").containsEntry("client_id", CLIENT_ID);
        assertThat(issuer.redemptions()).allMatch(LocalBrowserIssuer.Redemption::granted).contains(
                new LocalBrowserIssuer.Redemption("authorization_code", true),
                new LocalBrowserIssuer.Redemption("refresh_token", true));
        List<BrowserSignInNetwork.Call> calls = page.network().apiCalls();
        assertThat(calls).as("calls to the API").extracting(BrowserSignInNetwork.Call::method).contains("GET", "POST");
        assertThat(calls).allSatisfy(call -> assertThat(call.bearerSubject()).as(call.method() + " " + call.uri())
                .contains(ADA.subject()));

        // and the conversation is hers: the stored answer is what she saw, and for Bob it does not exist
        page.awaitUntil("a thread's address", () -> page.address().contains("/threads/"));
        String thread = "/api/agents/" + AGENT + "/threads/" + threadIdIn(page.address());
        HttpResponse<String> asAda = get(thread, issuer.accessTokenFor(ADA));
        assertThat(asAda.statusCode()).isEqualTo(200);
        JsonNode messages = ServiceUnderTest.parse(asAda.body()).path("messages");
        assertThat(messages.get(messages.size() - 1).path("content").asText()).isEqualToIgnoringWhitespace(answer);
        assertThat(get(thread, issuer.accessTokenFor(BOB)).statusCode()).isEqualTo(404);
    }

    @Test
    void a_token_the_service_refuses_leads_to_signing_in_again_and_keeps_the_typed_message() {
        // given Ada is signed in on an agent's page, with a message typed
        page.visit("/");
        page.click("Sign in");
        page.awaitSignedInAs(ADA.name());
        page.visit("/agents/" + AGENT);
        page.messageBox();
        String typed = "Why was my VM restarted last night?";
        page.type(typed);

        // when her session ends at the issuer: the next token is refused and cannot be renewed silently (the service
        // has accepted her calls since she signed in, so the UI does not take the refusal for a sign-in that cannot work)
        issuer.expireNextAccessTokenAndEndSession();
        page.click("Send");

        // then the service said 401, she went through the issuer again, and her message is still in the box
        page.awaitUntil("the service refused a call with 401", () -> !page.network().apiAnswers(401).isEmpty());
        page.awaitUntil("a second sign-in at the issuer", () -> issuer.authorizations().size() == 2);
        page.awaitSignedInAs(ADA.name());
        page.awaitUntil("the typed message back in the Message box", () -> typed.equals(page.messageBox().getDomProperty("value")));

        // and sending it now works: the message is stored once, as typed
        page.click("Send");
        assertThat(page.awaitLastAnswerComplete()).isNotBlank();
        page.awaitUntil("a thread's address", () -> page.address().contains("/threads/"));
        HttpResponse<String> thread = get("/api/agents/" + AGENT + "/threads/" + threadIdIn(page.address()),
                issuer.accessTokenFor(ADA));
        List<String> sent = new ArrayList<>();
        ServiceUnderTest.parse(thread.body()).path("messages").forEach(message -> {
            if (message.path("role").asText().equals("user")) {
                sent.add(message.path("content").asText());
            }
        });
        assertThat(sent).containsExactly(typed);
    }

    @Test
    void signing_out_ends_the_session_at_the_issuer_and_offers_sign_in_again() {
        // given Ada is signed in
        page.visit("/");
        page.click("Sign in");
        page.awaitSignedInAs(ADA.name());

        // when she signs out
        page.click("Sign out");

        // then the issuer ended her session, and the UI offers to sign in again, also after a reload
        page.awaitUntil("the issuer's end-session endpoint visited", () -> issuer.logouts().size() == 1);
        assertThat(issuer.logouts()).containsExactly(origin() + "/");
        page.awaitButton("Sign in");
        page.visit("/");
        page.awaitButton("Sign in");
        assertThat(page.text()).doesNotContain(ADA.name());
    }

    private HttpResponse<String> get(String path, String token) {
        return client.send(HttpRequest.newBuilder(client.uri(path)).header("Authorization", "Bearer " + token).GET());
    }

    private String origin() {
        return "http://127.0.0.1:" + application.port();
    }

    private static String threadIdIn(String address) {
        Matcher matcher = Pattern.compile("/agents/[^/]+/threads/([^/?#]+)").matcher(address);
        if (!matcher.find()) {
            throw new AssertionError("no thread in the address " + address);
        }
        return matcher.group(1);
    }
}
