package dev.agentchat.ports.auth;

import java.util.List;

/**
 * Turns the credential a request presented ({@code Authorization: Bearer <credential>}) into the caller
 * it acts for, or a refusal. Knows nothing of HTTP; an implementation knows its own kind of credential
 * (signed tokens of an OpenID Connect issuer, API keys) and answers {@link Verification.NotMine} to others.
 * Called once per request, never per event.
 */
@FunctionalInterface
public interface CredentialVerifier {

    Verification verify(String credential);

    /** Asks each verifier in turn until one recognises the credential; none that does is {@code NotMine}. */
    static CredentialVerifier firstOf(List<CredentialVerifier> verifiers) {
        List<CredentialVerifier> chain = List.copyOf(verifiers);
        return credential -> {
            for (CredentialVerifier verifier : chain) {
                Verification verdict = verifier.verify(credential);
                if (!(verdict instanceof Verification.NotMine)) {
                    return verdict;
                }
            }
            return new Verification.NotMine();
        };
    }
}
