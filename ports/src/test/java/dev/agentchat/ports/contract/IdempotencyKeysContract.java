package dev.agentchat.ports.contract;

import static dev.agentchat.ports.contract.Records.T0;
import static dev.agentchat.ports.contract.Records.aRunId;
import static dev.agentchat.ports.contract.Records.aScope;
import static dev.agentchat.ports.contract.Records.aThreadId;
import static dev.agentchat.ports.contract.Records.anotherUserOf;
import static dev.agentchat.ports.contract.Records.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.ports.chat.IdempotencyKeys;
import dev.agentchat.ports.chat.IdempotentRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link IdempotencyKeys} must do. An adapter's test extends this and says how to make
 * the store. Every test uses keys of its own, so the store need not be empty.
 */
public abstract class IdempotencyKeysContract {
    private static final Instant EXPIRES = T0.plusSeconds(3_600);

    private IdempotencyKeys keys;

    /** A store to test; it may hold other tests' keys. */
    protected abstract IdempotencyKeys createSubject();

    @BeforeEach
    void createKeys() {
        keys = createSubject();
    }

    @Test
    void the_first_claim_of_a_key_wins_and_later_ones_get_it() {
        // given
        ThreadScope scope = aScope();
        String key = uniqueId("key");
        IdempotentRequest first = request(scope, key, "fingerprint-a", EXPIRES);

        // when
        Optional<IdempotentRequest> firstClaim = keys.claim(first, T0);
        Optional<IdempotentRequest> retry = keys.claim(request(scope, key, "fingerprint-b", EXPIRES), T0.plusSeconds(1));

        // then
        assertThat(firstClaim).isEmpty();
        assertThat(retry).contains(first);
    }

    @Test
    void the_same_key_of_another_user_is_another_key() {
        // given
        ThreadScope scope = aScope();
        String key = uniqueId("key");
        keys.claim(request(scope, key, "fingerprint-a", EXPIRES), T0);

        // when / then
        assertThat(keys.claim(request(anotherUserOf(scope), key, "fingerprint-a", EXPIRES), T0)).isEmpty();
    }

    @Test
    void a_key_whose_request_expired_names_the_next_request() {
        // given
        ThreadScope scope = aScope();
        String key = uniqueId("key");
        keys.claim(request(scope, key, "fingerprint-a", T0.plusSeconds(10)), T0);
        IdempotentRequest next = request(scope, key, "fingerprint-b", T0.plusSeconds(100));

        // when
        Optional<IdempotentRequest> claim = keys.claim(next, T0.plusSeconds(10));

        // then
        assertThat(claim).isEmpty();
        assertThat(keys.claim(request(scope, key, "fingerprint-c", EXPIRES), T0.plusSeconds(11))).contains(next);
    }

    @Test
    void a_released_claim_frees_the_key_but_another_requests_claim_stays() {
        // given
        ThreadScope scope = aScope();
        String key = uniqueId("key");
        IdempotentRequest failed = request(scope, key, "fingerprint-a", EXPIRES);
        keys.claim(failed, T0);

        // when
        keys.release(failed);
        IdempotentRequest next = request(scope, key, "fingerprint-a", EXPIRES);
        Optional<IdempotentRequest> claim = keys.claim(next, T0.plusSeconds(1));
        keys.release(failed);

        // then
        assertThat(claim).isEmpty();
        assertThat(keys.claim(request(scope, key, "fingerprint-a", EXPIRES), T0.plusSeconds(2))).contains(next);
    }

    @Test
    void of_claims_racing_for_one_key_exactly_one_wins() {
        // given
        ThreadScope scope = aScope();
        String key = uniqueId("key");
        ConcurrentLinkedQueue<Optional<IdempotentRequest>> answers = new ConcurrentLinkedQueue<>();
        List<Runnable> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            IdempotentRequest request = request(scope, key, "fingerprint-" + i, EXPIRES);
            claims.add(() -> answers.add(keys.claim(request, T0)));
        }

        // when
        List<Race.Outcome> outcomes = Race.run(claims);

        // then
        assertThat(outcomes).allMatch(Race.Outcome::succeeded);
        assertThat(answers).hasSize(8);
        assertThat(answers.stream().filter(Optional::isEmpty)).hasSize(1);
        assertThat(answers.stream().flatMap(Optional::stream).map(IdempotentRequest::runId).distinct())
                .as("every loser is told the one winner").hasSize(1);
    }

    private static IdempotentRequest request(ThreadScope scope, String key, String fingerprint, Instant expiresAt) {
        return new IdempotentRequest(scope, key, fingerprint, aThreadId(), aRunId(), expiresAt);
    }
}
