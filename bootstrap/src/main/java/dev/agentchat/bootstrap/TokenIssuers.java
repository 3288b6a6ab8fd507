package dev.agentchat.bootstrap;

import dev.agentchat.adapter.oidc.OidcSettings;
import java.util.Optional;

/**
 * Which OpenID Connect issuer's access tokens the service accepts, from its settings: Microsoft Entra ID
 * ({@code AZURE_TENANT_ID} and {@code AZURE_CLIENT_ID}, the API's app registration), or any other issuer
 * ({@code AUTH_ISSUER} and {@code AUTH_AUDIENCE}, with {@code AUTH_JWKS_URI} when its keys are not where
 * its discovery document says). Empty when none is configured.
 */
final class TokenIssuers {
    private TokenIssuers() {
    }

    static Optional<OidcSettings> from(Settings.Values values) {
        Optional<String> tenant = values.get("AZURE_TENANT_ID").filter(v -> !v.isBlank());
        Optional<String> client = values.get("AZURE_CLIENT_ID").filter(v -> !v.isBlank());
        Optional<String> issuer = values.get("AUTH_ISSUER").filter(v -> !v.isBlank());
        Optional<String> audience = values.get("AUTH_AUDIENCE").filter(v -> !v.isBlank());
        String scope = values.get("AUTH_REQUIRED_SCOPE").filter(v -> !v.isBlank()).orElse(null);
        if (tenant.isPresent() != client.isPresent()) {
            throw new Settings.InvalidSettings("Set AZURE_TENANT_ID and AZURE_CLIENT_ID together: the tenant names the "
                    + "issuer, the client id (the API's app registration) the audience.");
        }
        if (issuer.isPresent() != audience.isPresent()) {
            throw new Settings.InvalidSettings("Set AUTH_ISSUER and AUTH_AUDIENCE together.");
        }
        if (tenant.isPresent() && issuer.isPresent()) {
            throw new Settings.InvalidSettings("Set either AZURE_TENANT_ID and AZURE_CLIENT_ID (Entra ID) or AUTH_ISSUER "
                    + "and AUTH_AUDIENCE (another issuer), not both.");
        }
        try {
            if (tenant.isPresent()) {
                return Optional.of(OidcSettings.entraId(tenant.get(), client.get(), scope));
            }
            if (issuer.isPresent()) {
                return Optional.of(OidcSettings.issuer(issuer.get(), audience.get(),
                        values.get("AUTH_JWKS_URI").filter(v -> !v.isBlank()).orElse(null), scope));
            }
        } catch (IllegalArgumentException e) {
            throw new Settings.InvalidSettings(e.getMessage());
        }
        return Optional.empty();
    }
}
