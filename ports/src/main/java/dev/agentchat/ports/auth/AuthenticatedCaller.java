package dev.agentchat.ports.auth;

import dev.agentchat.domain.thread.UserId;
import java.util.Objects;
import java.util.Set;

/**
 * Who a request acts for, once its credential is verified.
 *
 * @param userId      the stable id every decision is made on (for an Entra ID token, tenant and object id)
 * @param displayName a name to show (a token's {@code preferred_username}, say); never used to decide anything
 * @param roles       the application roles the caller holds (a token's {@code roles} claim, an API key's roles)
 * @param scopes      the delegated scopes the credential grants (a token's {@code scp}); empty for an API key
 * @param credential  what kind of credential it was: an access token is held to a required scope, an API key
 *                    (which acts for itself, delegated by nobody) to its roles alone
 */
public record AuthenticatedCaller(UserId userId, String displayName, Set<String> roles, Set<String> scopes,
                                  Credential credential) {

    /** The kinds of credential a caller can present. */
    public enum Credential { ACCESS_TOKEN, API_KEY }

    public AuthenticatedCaller {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(credential, "credential");
        displayName = displayName == null ? "" : displayName;
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
