package dev.agentchat.adapter.http.web;

import dev.agentchat.adapter.http.Json;
import dev.agentchat.adapter.http.problem.Problems;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * {@code GET /auth/config}: how a browser signs in to this service. Public (the page asks before anyone has
 * signed in) and outside {@code /api}, so no credential is ever asked for it; {@code no-cache}, so that a
 * browser picks up a changed configuration on its next visit.
 */
public final class SignInConfigService implements HttpService {
    private final byte[] body;

    public SignInConfigService(BrowserSignIn signIn) {
        Objects.requireNonNull(signIn, "signIn");
        // The settings do not change while the service runs: written once.
        this.body = Json.encode(Body.of(signIn)).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            res.send(body);
        }).any("/", (req, res) -> Problems.methodNotAllowed(res, "GET"));
    }

    /** The document, in the UI's words ({@code sign_in} is null, not left out, when a browser cannot sign in). */
    record Body(String authentication, SignInBody signIn) {
        static Body of(BrowserSignIn signIn) {
            return new Body(signIn.kind().wireName(), signIn.signIn().map(SignInBody::of).orElse(null));
        }
    }

    record SignInBody(String clientId, String authority, String protocolMode, List<String> knownAuthorities,
                      List<String> scopes) {
        static SignInBody of(BrowserSignIn.SignIn signIn) {
            return new SignInBody(signIn.clientId(), signIn.authority().toString(), signIn.protocolMode().name(),
                    signIn.knownAuthorities(), signIn.scopes());
        }
    }
}
