package dev.agentchat.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.CosmosException;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.store.StoreFailure;
import org.junit.jupiter.api.Test;

/** Faults the local server cannot be made to produce; an exception of the SDK's own type stands in for them. */
class CosmosErrorsTest {

    @Test
    void throttling_that_outlasted_the_retries_is_a_store_failure_that_names_what_was_tried() {
        RuntimeException translated = CosmosErrors.failure("creating run run_1", refusal(429));

        assertThat(translated).isInstanceOf(StoreFailure.class).hasMessageContaining("creating run run_1").hasMessageContaining("429");
    }

    @Test
    void a_conflict_or_a_failed_precondition_is_a_record_conflict() {
        assertThat(CosmosErrors.failure("creating thread t", refusal(409))).isInstanceOf(RecordConflict.class);
        assertThat(CosmosErrors.failure("updating run r", refusal(412))).isInstanceOf(RecordConflict.class);
    }

    @Test
    void an_unavailable_service_is_a_store_failure() {
        assertThat(CosmosErrors.failure("listing threads", refusal(503))).isInstanceOf(StoreFailure.class);
    }

    private static CosmosException refusal(int status) {
        return new Refusal(status);
    }

    /** The SDK's exception, with the status a real refusal would carry (its constructors are protected). */
    private static final class Refusal extends CosmosException {
        Refusal(int status) {
            super(status, "refused");
        }
    }
}
