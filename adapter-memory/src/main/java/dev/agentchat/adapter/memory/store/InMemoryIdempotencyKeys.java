package dev.agentchat.adapter.memory.store;

import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.ports.chat.IdempotencyKeys;
import dev.agentchat.ports.chat.IdempotentRequest;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Idempotency keys in a concurrent map; an expired key is replaced when it is claimed again. */
public final class InMemoryIdempotencyKeys implements IdempotencyKeys {
    private record Key(ThreadScope scope, String key) {
    }

    private final ConcurrentMap<Key, IdempotentRequest> requests = new ConcurrentHashMap<>();

    @Override
    public Optional<IdempotentRequest> claim(IdempotentRequest request, Instant now) {
        Key key = new Key(request.scope(), request.key());
        IdempotentRequest holder = requests.compute(key,
                (k, earlier) -> earlier == null || earlier.isExpired(now) ? request : earlier);
        return holder == request ? Optional.empty() : Optional.of(holder);
    }

    @Override
    public void release(IdempotentRequest request) {
        requests.remove(new Key(request.scope(), request.key()), request);
    }
}
