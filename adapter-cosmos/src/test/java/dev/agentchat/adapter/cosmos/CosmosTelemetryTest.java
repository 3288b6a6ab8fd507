package dev.agentchat.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosClientBuilder;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.thread.ChatThread;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.ThreadStatus;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.health.RequiredDependency;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.telemetry.Observation;
import dev.agentchat.ports.telemetry.Outcome;
import dev.agentchat.ports.telemetry.Telemetry;
import dev.agentchat.ports.telemetry.Work;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The store operations as a watcher sees them, and whether the account answers, against a real Cosmos DB server. */
class CosmosTelemetryTest {

    @Test
    void every_operation_is_watched_with_its_container_operation_charge_and_failure() {
        Recording recording = new Recording();
        CosmosStores stores = CosmosTestServer.stores().watchedBy(recording);
        try {
            CosmosThreadStore threads = stores.threads();
            ThreadScope scope = new ThreadScope(AgentId.of("watched-agent"), UserId.of("u-" + UUID.randomUUID()));
            ChatThread thread = ChatThread.open(ThreadId.of("t-" + UUID.randomUUID()), scope.agentId(), scope.userId(),
                    "hello", Instant.parse("2026-12-05T10:00:00Z"));

            threads.create(thread);
            threads.find(scope, thread.id());
            threads.find(scope, ThreadId.of("t-missing-" + UUID.randomUUID()));
            threads.list(scope, Set.of(ThreadStatus.ACTIVE), PageRequest.first(10));
        } finally {
            stores.watchedBy(Telemetry.OFF);
        }

        assertThat(recording.works).extracting(work -> work.operation() + " " + work.collection()).containsExactly(
                "create_item threads", "read_item threads", "read_item threads", "query_items threads", "query_items threads");
        assertThat(recording.works).allSatisfy(work -> assertThat(work.system()).isEqualTo("azure.cosmosdb"));
        assertThat(recording.outcomes.get(0).errorType()).isEmpty();
        assertThat(recording.outcomes.get(0).requestCharge()).isPresent();
        assertThat(recording.outcomes.get(1).errorType()).isEmpty();
        assertThat(recording.outcomes.get(2).errorType()).as("a read of a missing item").contains("404");
        assertThat(recording.outcomes.subList(3, 5)).allSatisfy(outcome -> {
            assertThat(outcome.errorType()).isEmpty();
            assertThat(outcome.requestCharge()).isPresent();
        });
    }

    @Test
    void the_account_is_reachable_while_its_server_runs_and_not_once_it_stopped() {
        try (CosmosTestServer.LocalServer server = CosmosTestServer.startLocal()) {
            CosmosStores stores = CosmosStores.open(new CosmosClientBuilder().endpoint(server.endpoint())
                    .key(CosmosTestServer.localKey()).gatewayMode().endpointDiscoveryEnabled(false)
                    .consistencyLevel(ConsistencyLevel.SESSION).buildClient(), "agentchat-test-" + UUID.randomUUID());
            try (stores) {
                // Nothing kept between probes, so each asks the server.
                RequiredDependency reachability = stores.reachability(Duration.ZERO);
                assertThat(reachability.name()).isEqualTo("cosmos-db");
                assertThat(reachability.problem()).isEmpty();

                server.close();

                assertThat(reachability.problem()).hasValueSatisfying(problem -> assertThat(problem).startsWith("Cosmos DB"));
            }
        }
    }

    /** The works begun and their outcomes, in the order they ended; store calls only. */
    private static final class Recording implements Telemetry {
        final List<Work.StoreCall> works = new CopyOnWriteArrayList<>();
        final List<Outcome.StoreEnded> outcomes = new CopyOnWriteArrayList<>();

        @Override
        public Observation begin(Work work, Observation parent) {
            Work.StoreCall call = (Work.StoreCall) work;
            return new Observation() {
                @Override
                public void end(Outcome outcome) {
                    works.add(call);
                    outcomes.add((Outcome.StoreEnded) outcome);
                }
            };
        }

        @Override
        public Observation current() {
            return Observation.NONE;
        }
    }
}
