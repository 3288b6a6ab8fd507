package dev.agentchat.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.models.CosmosContainerProperties;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.chat.RunEvent;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the stores set up their containers. */
class CosmosStoresTest {
    private static CosmosClient client;

    @BeforeAll
    static void connect() {
        client = new CosmosClientBuilder().endpoint(CosmosTestServer.endpoint()).key(CosmosTestServer.key()).gatewayMode()
                .endpointDiscoveryEnabled(false).consistencyLevel(ConsistencyLevel.SESSION).buildClient();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void new_containers_let_each_document_set_its_own_time_to_live() {
        // given
        String name = "agentchat-test-" + UUID.randomUUID();

        // when
        CosmosStores.open(client, name);

        // then
        assertThat(defaultTimeToLive(name, CosmosStores.THREADS)).isEqualTo(-1);
        assertThat(defaultTimeToLive(name, CosmosStores.TURNS)).isEqualTo(-1);
        client.getDatabase(name).delete();
    }

    @Test
    void containers_made_before_time_to_live_get_it_switched_on_and_keep_working() {
        // given: a database whose containers were made without time to live
        String name = "agentchat-test-" + UUID.randomUUID();
        client.createDatabaseIfNotExists(name);
        CosmosDatabase database = client.getDatabase(name);
        database.createContainerIfNotExists(new CosmosContainerProperties(CosmosStores.THREADS, "/scope"));
        database.createContainerIfNotExists(new CosmosContainerProperties(CosmosStores.TURNS, "/threadId"));
        assertThat(defaultTimeToLive(name, CosmosStores.TURNS)).isNull();

        // when
        CosmosStores stores = CosmosStores.open(client, name);

        // then
        assertThat(defaultTimeToLive(name, CosmosStores.THREADS)).isEqualTo(-1);
        assertThat(defaultTimeToLive(name, CosmosStores.TURNS)).isEqualTo(-1);
        ThreadId thread = ThreadId.of("thread-" + UUID.randomUUID());
        RunId run = RunId.of("run-" + UUID.randomUUID());
        Instant now = Instant.now();
        List<RunEvent> events = List.of(new RunEvent(1, new ChatEvent.Token("kept", now)));
        stores.events().append(thread, run, events, now.plusSeconds(600));
        assertThat(stores.events().readAfter(thread, run, 0, 10, now)).containsExactlyElementsOf(events);
        database.delete();
    }

    private static Integer defaultTimeToLive(String database, String container) {
        return client.getDatabase(database).getContainer(container).read().getProperties().getDefaultTimeToLiveInSeconds();
    }
}
