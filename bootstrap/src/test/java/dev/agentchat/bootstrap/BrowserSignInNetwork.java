package dev.agentchat.bootstrap;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls the UI's pages made with {@code fetch} and what they were answered, across navigations (the
 * sign-in leaves the page and comes back): {@link #RECORDER} runs in every page before the page's own scripts
 * and writes each call to the console, which {@link Browser} keeps for the whole test.
 */
final class BrowserSignInNetwork {
    /**
     * Wraps {@code fetch} to log each call's method, address and bearer, and each answer's status. It goes in
     * through DevTools, which the page's Content-Security-Policy does not govern; the page itself is unchanged.
     */
    static final String RECORDER = """
            (() => {
              const send = window.fetch.bind(window);
              window.fetch = (input, init) => {
                let request;
                try { request = new Request(input, init); } catch (e) { return send(input, init); }
                const authorization = request.headers.get("Authorization") || "";
                const bearer = authorization.startsWith("Bearer ") ? authorization.substring(7) : "-";
                console.info("[page-call] " + request.method + " " + request.url + " " + bearer);
                return send(input, init).then((response) => {
                  console.info("[page-answer] " + response.status + " " + request.method + " " + request.url);
                  return response;
                });
              };
            })();
            """;
    private static final Pattern CALL = Pattern.compile("\\[page-call] (\\S+) (\\S+) ([^\\s\"\\\\]+)");
    private static final Pattern ANSWER = Pattern.compile("\\[page-answer] (\\d{3}) (\\S+) ([^\\s\"\\\\]+)");

    /** A call the page made, with the bearer it carried (if any). */
    record Call(String method, URI uri, Optional<String> bearer) {
        /** The {@code sub} of the bearer token; empty when the call carried none, or not a JWT. */
        Optional<String> bearerSubject() {
            return bearer.flatMap(token -> {
                try {
                    return Optional.ofNullable(SignedJWT.parse(token).getJWTClaimsSet().getSubject());
                } catch (ParseException e) {
                    return Optional.empty();
                }
            });
        }
    }

    /** An answer the page got. */
    record Answer(int status, String method, URI uri) {
    }

    private final Browser browser;
    private final String origin;

    BrowserSignInNetwork(Browser browser, String origin) {
        this.browser = browser;
        this.origin = origin;
    }

    /** Every call to the service's API so far. */
    List<Call> apiCalls() {
        return browser.console().stream().map(CALL::matcher).filter(Matcher::find)
                .map(m -> new Call(m.group(1), URI.create(m.group(2)),
                        Optional.of(m.group(3)).filter(bearer -> !bearer.equals("-"))))
                .filter(call -> isApi(call.uri())).toList();
    }

    /** Every answer from the service's API so far with this status. */
    List<Answer> apiAnswers(int status) {
        return browser.console().stream().map(ANSWER::matcher).filter(Matcher::find)
                .map(m -> new Answer(Integer.parseInt(m.group(1)), m.group(2), URI.create(m.group(3))))
                .filter(answer -> isApi(answer.uri()) && answer.status() == status).toList();
    }

    private boolean isApi(URI uri) {
        return uri.toString().startsWith(origin + "/api/");
    }
}
