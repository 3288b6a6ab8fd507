package dev.agentchat.bootstrap;

import dev.agentchat.adapter.http.auth.Authentication;
import dev.agentchat.adapter.http.web.BrowserSignIn;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.auth.ApiKeys;
import dev.agentchat.ports.auth.CredentialVerifier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call the API, from the settings: {@code API_KEYS_FILE} (and the token verifier, when one is
 * configured) turn authentication on; {@code ADMIN_API_KEY} is then one more key, for the user
 * {@code admin} with the admin role ({@code AUTH_ADMIN_ROLE}). With neither, the service stays open as
 * before: everyone is the anonymous user and {@code ADMIN_API_KEY} alone guards agent changes.
 */
final class ApiAccess {
    /** The user the {@code ADMIN_API_KEY} acts as. */
    static final UserId ADMIN_USER = UserId.of("admin");

    private ApiAccess() {
    }

    /** The authentication of the API; {@code tokens} is the token verifier, if one is configured. */
    static Authentication authentication(Settings.Values values, Optional<CredentialVerifier> tokens) {
        String adminRole = values.get("AUTH_ADMIN_ROLE").orElse(Authentication.DEFAULT_ADMIN_ROLE);
        Optional<String> adminKey = values.get("ADMIN_API_KEY");
        Optional<ApiKeys> fileKeys = values.get("API_KEYS_FILE").map(file -> readKeys(Path.of(file)));
        if (tokens.isEmpty() && fileKeys.isEmpty()) {
            return Authentication.off(adminKey);
        }
        ApiKeys keys = fileKeys.orElse(ApiKeys.none());
        if (adminKey.isPresent()) {
            keys = keys.with(ApiKeys.Entry.forKey(adminKey.get(), ADMIN_USER, Set.of(adminRole)));
        }
        List<CredentialVerifier> verifiers = new ArrayList<>();
        tokens.ifPresent(verifiers::add);
        verifiers.add(keys);
        return Authentication.by(CredentialVerifier.firstOf(verifiers), adminRole, values.get("AUTH_REQUIRED_SCOPE"));
    }

    /**
     * How a browser signs in, as {@code /auth/config} tells the web UI: with Entra ID as {@code WEB_CLIENT_ID} (else the
     * API's own registration) for {@code WEB_SCOPES} (else the API's required scope, or all its scopes); with another
     * issuer as {@code WEB_CLIENT_ID} (without one a browser cannot sign in there) for {@code WEB_SCOPES} (else
     * {@code openid profile} and the required scope); else with an API key when authentication is on.
     */
    static BrowserSignIn browserSignIn(Settings settings, boolean authenticationOn) {
        Settings.Values values = settings.values();
        Optional<String> requiredScope = values.get("AUTH_REQUIRED_SCOPE");
        Optional<String> tenant = values.get("AZURE_TENANT_ID");
        Optional<String> issuer = values.get("AUTH_ISSUER");
        try {
            if (tenant.isPresent()) {
                String apiClient = values.get("AZURE_CLIENT_ID").orElseThrow(() -> new Settings.InvalidSettings(
                        "Set AZURE_TENANT_ID and AZURE_CLIENT_ID together."));
                // api://{client id} is the App ID URI Entra ID proposes; WEB_SCOPES names the scope of any other.
                List<String> scopes = settings.webScopes().isEmpty()
                        ? List.of("api://" + apiClient + "/" + requiredScope.orElse(".default")) : settings.webScopes();
                return BrowserSignIn.entraId(tenant.get(), settings.webClientId().orElse(apiClient), scopes);
            }
            if (issuer.isPresent()) {
                List<String> scopes = new ArrayList<>(settings.webScopes());
                if (scopes.isEmpty()) {
                    scopes.addAll(List.of("openid", "profile"));
                    requiredScope.ifPresent(scopes::add);
                }
                return BrowserSignIn.oidc(URI.create(issuer.get()), settings.webClientId(), scopes);
            }
        } catch (IllegalArgumentException e) {
            throw new Settings.InvalidSettings("The browsers' sign-in: " + e.getMessage());
        }
        return authenticationOn ? BrowserSignIn.apiKey() : BrowserSignIn.none();
    }

    /** {@code CORS_ALLOWED_ORIGINS}: origins separated by commas; none, the same origin only. */
    static List<String> corsAllowedOrigins(Settings.Values values) {
        return values.get("CORS_ALLOWED_ORIGINS").map(text -> Arrays.stream(text.split(",")).map(String::strip)
                .map(origin -> origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin)
                .filter(origin -> !origin.isEmpty()).toList()).orElse(List.of());
    }

    private static ApiKeys readKeys(Path file) {
        try {
            return ApiKeys.parse(Files.readString(file));
        } catch (IOException e) {
            throw new Settings.InvalidSettings("API_KEYS_FILE: cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Settings.InvalidSettings("API_KEYS_FILE: " + e.getMessage());
        }
    }
}
