package dev.agentchat.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in from the browser when the service takes API keys ({@code API_KEYS_FILE}) and no identity provider:
 * the UI asks for a key, keeps it for the tab, and sends it as the bearer.
 */
class BrowserSignInWithApiKeyTest {
    private static final String KEY = "a-browser-key-for-tests-0123";
    private static final String AGENT = "support-triage";

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    private Application application;
    private BrowserSignInPage page;

    @BeforeEach
    void start(@TempDir Path directory) throws IOException {
        Path keys = Files.writeString(directory.resolve("api-keys"), sha256(KEY) + " a-person-in-a-browser\n");
        Settings settings = Settings.forTests(Map.of("API_KEYS_FILE", keys.toString(), "DEMO_MODEL_DELAY_MS", "5"));
        Components components = browsers.serving(Main.chooseComponents(settings).build());
        application = browsers.serving(Application.start(settings, components));
        page = BrowserSignInPage.in(browsers.desktop(), "http://127.0.0.1:" + application.port());
    }

    @Test
    void a_typed_key_is_sent_with_every_call_until_signing_out() {
        // given the UI asks for a key
        page.visit("/agents/" + AGENT);

        // when one is typed, and a chat follows
        page.fill("API key", KEY);
        page.click("Sign in");
        page.awaitButton("Sign out");
        page.send("How do I restart my VM?");

        // then the answer came, and every call carried the key
        assertThat(page.awaitLastAnswerComplete()).isNotBlank();
        List<BrowserSignInNetwork.Call> calls = page.network().apiCalls();
        assertThat(calls).extracting(BrowserSignInNetwork.Call::method).contains("GET", "POST");
        assertThat(calls).allSatisfy(call -> assertThat(call.bearer()).as(call.method() + " " + call.uri()).contains(KEY));

        // and signing out forgets it, also after a reload
        page.click("Sign out");
        page.fill("API key", "");
        page.visit("/");
        page.fill("API key", "");
        assertThat(page.network().apiAnswers(401)).isEmpty();
    }

    @Test
    void a_key_the_service_refuses_is_asked_for_again() {
        // given the UI asks for a key
        page.visit("/");

        // when a wrong one is typed
        page.fill("API key", "not-" + KEY);
        page.click("Sign in");

        // then the service refused it, and the UI asks for a key again
        page.awaitUntil("the service refused a call with 401", () -> !page.network().apiAnswers(401).isEmpty());
        page.fill("API key", KEY);
        page.click("Sign in");
        page.awaitButton("Sign out");
    }

    private static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
