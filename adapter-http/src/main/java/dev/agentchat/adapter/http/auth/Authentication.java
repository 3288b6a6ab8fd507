package dev.agentchat.adapter.http.auth;

import dev.agentchat.adapter.http.AdminGuard;
import dev.agentchat.adapter.http.Caller;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.Problems;
import dev.agentchat.adapter.http.problem.ProblemException;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.auth.AuthenticatedCaller;
import dev.agentchat.ports.auth.CredentialVerifier;
import dev.agentchat.ports.auth.Verification;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.ServerRequest;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who each {@code /api/**} request acts for. Off (no verifier configured), every caller is the anonymous
 * user and agent changes need {@code ADMIN_API_KEY}, as before authentication existed. On, its
 * {@link #filter()} verifies the {@code Authorization: Bearer} credential once per request, before any
 * route runs, and leaves the caller on the request's context, where {@link #caller()} and
 * {@link #adminGuard()} read it: the route services never see a credential.
 */
public final class Authentication {
    private static final System.Logger LOG = System.getLogger(Authentication.class.getName());
    /** The default application role that may change agents. */
    public static final String DEFAULT_ADMIN_ROLE = "Agents.Admin";

    private final Optional<CredentialVerifier> verifier;
    private final String adminRole;
    private final Optional<String> requiredScope;
    private final Optional<String> adminKey;

    private Authentication(Optional<CredentialVerifier> verifier, String adminRole, Optional<String> requiredScope,
                           Optional<String> adminKey) {
        this.verifier = verifier;
        this.adminRole = Objects.requireNonNull(adminRole, "adminRole");
        this.requiredScope = requiredScope.map(String::strip).filter(scope -> !scope.isEmpty());
        this.adminKey = adminKey;
    }

    /** No authentication: everyone is the anonymous user; agent changes need {@code adminKey} (none: refused). */
    public static Authentication off(Optional<String> adminKey) {
        return new Authentication(Optional.empty(), DEFAULT_ADMIN_ROLE, Optional.empty(), adminKey);
    }

    /**
     * Every {@code /api/**} request needs a credential {@code verifier} accepts; agent changes need
     * {@code adminRole}; a caller with an access token must hold {@code requiredScope} among its scopes.
     */
    public static Authentication by(CredentialVerifier verifier, String adminRole, Optional<String> requiredScope) {
        return new Authentication(Optional.of(verifier), adminRole, requiredScope, Optional.empty());
    }

    public boolean isOn() {
        return verifier.isPresent();
    }

    /** The filter that verifies each API request's credential; with authentication off, it lets all pass. */
    public Filter filter() {
        return verifier.<Filter>map(v -> new BearerFilter(v, requiredScope)).orElse((chain, req, res) -> chain.proceed());
    }

    /** The user each request acts for. */
    public Caller caller() {
        if (!isOn()) {
            return request -> UserId.ANONYMOUS;
        }
        // Fails closed: a route under /api that the filter somehow did not see acts for nobody.
        return request -> callerOf(request).map(AuthenticatedCaller::userId)
                .orElseThrow(() -> new ProblemException(Challenges.unauthorized()));
    }

    /** Whether a request may change agents: the admin role when on, the admin key when off. */
    public AdminGuard adminGuard() {
        if (!isOn()) {
            return AdminGuard.bearerKey(adminKey);
        }
        return request -> {
            AuthenticatedCaller caller = callerOf(request).orElseThrow(() -> new ProblemException(Challenges.unauthorized()));
            if (!caller.hasRole(adminRole)) {
                throw new ProblemException(new Problem(403, "forbidden", "Forbidden",
                        "Changing agents needs the role " + adminRole + "."));
            }
        };
    }

    /** The verified caller the filter left on the request, if any. */
    public static Optional<AuthenticatedCaller> callerOf(ServerRequest request) {
        return request.context().get(AuthenticatedCaller.class);
    }

    /** Whether a path is one of the API's, which need a credential (the documents and {@code /health} do not). */
    static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    /** The credential of an {@code Authorization: Bearer} header, or why there is none to verify. */
    sealed interface Presented {
        record Credential(String value) implements Presented {
        }

        /** No Authorization header, or one of another scheme: the client did not try a bearer credential. */
        record Nothing() implements Presented {
        }

        /** A bearer header without a credential, or more than one Authorization header. */
        record Malformed() implements Presented {
        }

        static Presented of(List<String> authorization) {
            if (authorization.isEmpty()) {
                return new Nothing();
            }
            if (authorization.size() > 1) {
                return new Malformed();
            }
            String value = authorization.getFirst().strip();
            if (!value.regionMatches(true, 0, "Bearer", 0, 6)) {
                return new Nothing();
            }
            String credential = value.substring(6).strip();
            // RFC 6750's b64token: no blanks inside, and something there at all.
            if (credential.isEmpty() || value.length() > 6 && value.charAt(6) != ' ' || credential.chars().anyMatch(Character::isWhitespace)) {
                return new Malformed();
            }
            return new Credential(credential);
        }
    }

    private static final class BearerFilter implements Filter {
        private final CredentialVerifier verifier;
        private final Optional<String> requiredScope;

        private BearerFilter(CredentialVerifier verifier, Optional<String> requiredScope) {
            this.verifier = verifier;
            this.requiredScope = requiredScope;
        }

        @Override
        public void filter(io.helidon.webserver.http.FilterChain chain, io.helidon.webserver.http.RoutingRequest req,
                           io.helidon.webserver.http.RoutingResponse res) {
            if (!isApi(req.path().path())) {
                chain.proceed();
                return;
            }
            Optional<Problem> refusal = authenticate(req);
            if (refusal.isPresent()) {
                Problems.send(res, refusal.get());
                return;
            }
            chain.proceed();
        }

        /** Leaves the caller on the request, or says why the request is refused. */
        private Optional<Problem> authenticate(ServerRequest req) {
            // A credential in a URL ends up in logs, proxies and browser history: refused even beside a good header.
            if (req.query().contains("access_token")) {
                return Optional.of(Challenges.tokenInQuery());
            }
            Presented presented = Presented.of(req.headers().all(HeaderNames.AUTHORIZATION, List::of));
            return switch (presented) {
                case Presented.Nothing nothing -> Optional.of(Challenges.unauthorized());
                case Presented.Malformed malformed -> Optional.of(Challenges.invalidToken());
                case Presented.Credential credential -> verified(req, verifier.verify(credential.value()));
            };
        }

        private Optional<Problem> verified(ServerRequest req, Verification verdict) {
            return switch (verdict) {
                case Verification.Accepted accepted -> {
                    AuthenticatedCaller caller = accepted.caller();
                    // Scopes are what a user delegated to the calling application: every access token must hold the
                    // required one (so an ID token, or an app-only token, of the same issuer and audience does not
                    // pass for a user's); an API key acts for itself, and is held to its roles instead.
                    if (requiredScope.isPresent() && caller.credential() == AuthenticatedCaller.Credential.ACCESS_TOKEN
                            && !caller.scopes().contains(requiredScope.get())) {
                        yield Optional.of(Challenges.insufficientScope(requiredScope.get()));
                    }
                    req.context().register(caller);
                    yield Optional.empty();
                }
                case Verification.Rejected rejected -> {
                    LOG.log(Level.DEBUG, "Refused a credential on {0}: {1}", req.path().path(), rejected.reason());
                    yield Optional.of(Challenges.invalidToken());
                }
                case Verification.NotMine notMine -> {
                    LOG.log(Level.DEBUG, "Refused a credential no verifier recognises on {0}", req.path().path());
                    yield Optional.of(Challenges.invalidToken());
                }
                case Verification.Unavailable unavailable -> {
                    LOG.log(Level.WARNING, "Cannot verify credentials now: {0}", unavailable.reason());
                    yield Optional.of(new Problem(503, "authentication_unavailable", "Authentication unavailable",
                            "The credential cannot be verified now; try again later."));
                }
            };
        }
    }
}
