package dev.agentchat.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.chat.IdempotencyKeys;
import dev.agentchat.ports.chat.IdempotentRequest;
import dev.agentchat.ports.contract.IdempotencyKeysContract;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CosmosIdempotencyKeysTest extends IdempotencyKeysContract {
    private static final Instant T = Instant.parse("2025-03-01T12:00:00Z");

    @Override
    protected IdempotencyKeys createSubject() {
        return CosmosTestServer.stores().idempotencyKeys();
    }

    @Test
    void a_key_with_characters_a_cosmos_id_must_not_hold_is_claimed_like_any_other() {
        // given
        IdempotencyKeys keys = createSubject();
        ThreadScope scope = new ThreadScope(AgentId.of("agent-" + UUID.randomUUID()), UserId.of("user-" + UUID.randomUUID()));
        String key = "a/b\\c?d#e%f-" + UUID.randomUUID();
        IdempotentRequest first = request(scope, key, T.plusNanos(123_456_789));

        // when
        Optional<IdempotentRequest> claimed = keys.claim(first, T);
        Optional<IdempotentRequest> again = keys.claim(request(scope, key, T.plusSeconds(60)), T);

        // then
        assertThat(claimed).isEmpty();
        assertThat(again).contains(first);
    }

    @Test
    void keys_that_differ_only_in_such_characters_stay_apart() {
        // given
        IdempotencyKeys keys = createSubject();
        ThreadScope scope = new ThreadScope(AgentId.of("agent-" + UUID.randomUUID()), UserId.of("user-" + UUID.randomUUID()));
        String unique = UUID.randomUUID().toString();

        // when / then
        assertThat(keys.claim(request(scope, "x/" + unique, T.plusSeconds(60)), T)).isEmpty();
        assertThat(keys.claim(request(scope, "x?" + unique, T.plusSeconds(60)), T)).isEmpty();
        assertThat(keys.claim(request(scope, "x#" + unique, T.plusSeconds(60)), T)).isEmpty();
    }

    private static IdempotentRequest request(ThreadScope scope, String key, Instant expiresAt) {
        return new IdempotentRequest(scope, key, "fingerprint", ThreadId.of("thread-" + UUID.randomUUID()),
                RunId.of("run-" + UUID.randomUUID()), expiresAt);
    }
}
