package dev.agentchat.ports.auth;

import java.util.Objects;

/** What a {@link CredentialVerifier} made of a credential. */
public sealed interface Verification {

    /** The credential is valid: the request acts for this caller. */
    record Accepted(AuthenticatedCaller caller) implements Verification {
        public Accepted {
            Objects.requireNonNull(caller, "caller");
        }
    }

    /**
     * The credential is of this verifier's kind but not valid (expired, wrong audience, bad signature...).
     * {@code reason} is for the log only: it is never sent to the client, who learns only that the
     * credential was refused.
     */
    record Rejected(String reason) implements Verification {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The credential is not of this verifier's kind (an API key given to the token verifier, say): ask the next. */
    record NotMine() implements Verification {
    }

    /**
     * The credential could not be verified now for want of something outside the service (the issuer's
     * keys cannot be fetched and none are cached): the request may succeed later. {@code reason} is for the log.
     */
    record Unavailable(String reason) implements Verification {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
