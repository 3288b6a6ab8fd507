/**
 * The credential verifier port for the signed access tokens of an OpenID Connect issuer (Microsoft Entra ID
 * or any other), on nimbus-jose-jwt. Every nimbus type stays inside this package: {@link
 * dev.agentchat.adapter.oidc.OidcTokenVerifier} and {@link dev.agentchat.adapter.oidc.OidcSettings} are all
 * that other modules see.
 */
package dev.agentchat.adapter.oidc;
