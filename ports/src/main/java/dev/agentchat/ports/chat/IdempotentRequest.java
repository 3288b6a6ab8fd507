package dev.agentchat.ports.chat;

import dev.agentchat.domain.Require;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import java.time.Instant;
import java.util.Objects;

/**
 * A chat request sent with an {@code Idempotency-Key}, and the run that answers it.
 *
 * @param scope       whose key it is: keys of different users or agents never meet
 * @param fingerprint a digest of what was asked, so a reused key with another request is told apart
 * @param expiresAt   when the key may name a new request
 */
public record IdempotentRequest(ThreadScope scope, String key, String fingerprint, ThreadId threadId, RunId runId,
                                Instant expiresAt) {
    public static final int MAX_KEY_LENGTH = 255;

    public IdempotentRequest {
        Objects.requireNonNull(scope, "scope");
        checkKey(key);
        Require.nonBlank(fingerprint, "fingerprint");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** A key is 1 to 255 visible ASCII characters, as clients generate them (UUIDs, hashes). */
    public static void checkKey(String key) {
        Require.nonBlank(key, "idempotency key");
        Require.maxLength(key, MAX_KEY_LENGTH, "idempotency key");
        if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("idempotency key must be visible ASCII characters");
        }
    }

    public boolean isExpired(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
