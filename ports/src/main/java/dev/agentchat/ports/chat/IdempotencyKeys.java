package dev.agentchat.ports.chat;

import java.time.Instant;
import java.util.Optional;

/** Remembers, for a while, which run answers each chat request sent with an {@code Idempotency-Key}. */
public interface IdempotencyKeys {

    /**
     * Claims the request's key for it, atomically: of two claims racing for one key, exactly one
     * wins. Returns empty when this claim won (the key was free, or its earlier request expired by
     * {@code now}), or the earlier request that holds the key.
     */
    Optional<IdempotentRequest> claim(IdempotentRequest request, Instant now);

    /** Gives up the claim of {@code request} (its set-up failed, so a retry must start afresh); another request's claim stays. */
    void release(IdempotentRequest request);
}
