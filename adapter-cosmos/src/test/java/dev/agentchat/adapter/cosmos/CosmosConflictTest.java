package dev.agentchat.adapter.cosmos;

import static dev.agentchat.ports.contract.Records.aThread;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.ports.store.RecordConflict;
import dev.agentchat.ports.thread.ThreadStore;
import org.junit.jupiter.api.Test;

/** A conflict's message can reach a client (409 conflict): it says what was tried, not what Cosmos DB answered. */
class CosmosConflictTest {
    private final ThreadStore threads = CosmosTestServer.stores().threads();

    @Test
    void a_record_created_twice_is_a_conflict_whose_message_carries_none_of_the_database_s_words() {
        ChatThread thread = aThread().build();
        threads.create(thread);

        assertThatThrownBy(() -> threads.create(thread)).isInstanceOf(RecordConflict.class)
                .hasMessageContaining("exists already")
                .message().doesNotContainIgnoringCase("activityid").doesNotContainIgnoringCase("entity");
    }
}
