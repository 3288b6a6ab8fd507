package dev.agentchat.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.ConsistencyLevel;
import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Documents written before runs could pause for approval lack the members that tell of it: they read
 * back as runs, steps and agents that never needed approval, and the sweeps still find them.
 */
class CosmosDocumentsBeforeApprovalsTest {
    private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

    private static CosmosClient client;
    private static String databaseName;
    private static CosmosStores stores;

    @BeforeAll
    static void open() {
        client = new CosmosClientBuilder().endpoint(CosmosTestServer.endpoint()).key(CosmosTestServer.key()).gatewayMode()
                .endpointDiscoveryEnabled(false).consistencyLevel(ConsistencyLevel.SESSION).buildClient();
        databaseName = "agentchat-test-" + UUID.randomUUID();
        stores = CosmosStores.open(client, databaseName);
    }

    @AfterAll
    static void close() {
        client.getDatabase(databaseName).delete();
        client.close();
    }

    @Test
    void a_run_stored_before_approvals_reads_back_as_one_that_never_paused_and_is_still_a_sweep_candidate() {
        // given a working run, as its document was written before approvals
        ThreadId thread = ThreadId.of("thread-" + UUID.randomUUID());
        Run running = Run.queue(RunId.of("run-" + UUID.randomUUID()), thread,
                new ThreadScope(AgentId.of("ops-assistant"), UserId.of("user-ada")), 1, MessageId.of("msg-1"), T0)
                .start(T0.plusSeconds(1)).state();
        stores.runs().create(running);
        ObjectNode doc = stripped(turns(), running.id().value(), thread, "workedMs", "resumedAt", "approvals",
                "approvalExpiresAt");

        // when
        Run read = stores.runs().find(thread, running.id()).orElseThrow();

        // then
        assertThat(doc.has("workedMs")).isFalse();
        assertThat(read).isEqualTo(running);
        assertThat(read.workedBefore()).isEqualTo(Duration.ZERO);
        assertThat(read.resumedAt()).isNull();
        assertThat(read.approvals()).isNull();
        assertThat(stores.runs().listUnfinished(T0.plusSeconds(60), 1_000)).map(Run::id).contains(running.id());
        assertThat(stores.runs().listAwaitingApproval(T0.plus(Duration.ofDays(365)), 1_000)).map(Run::id)
                .doesNotContain(running.id());
    }

    @Test
    void a_step_stored_before_approvals_reads_back_as_one_that_needed_none() {
        // given
        ThreadId thread = ThreadId.of("thread-" + UUID.randomUUID());
        Step step = Step.begin(StepId.of("step-" + UUID.randomUUID()), RunId.of("run-" + UUID.randomUUID()), thread,
                "call-1", "calculator", "{\"expression\":\"6*7\"}", T0).state().complete("42", T0.plusMillis(12)).state();
        stores.steps().create(step);
        stripped(turns(), step.id().value(), thread, "approval");

        // when
        List<Step> read = stores.steps().listByRun(thread, step.runId());

        // then
        assertThat(read).containsExactly(step);
        assertThat(read.getFirst().approval()).isNull();
    }

    @Test
    void an_agent_stored_before_approvals_needs_approval_for_none_of_its_tools() {
        // given
        Agent agent = new Agent(AgentId.of("agent-" + UUID.randomUUID().toString().substring(0, 13)), Set.of(), "Ops",
                "", "Be careful.", List.of("calculator"), Agent.DEFAULT_HISTORY_TOKEN_BUDGET).savedFirst(T0);
        stores.agents().create(agent);
        CosmosContainer agents = client.getDatabase(databaseName).getContainer(CosmosStores.AGENTS);
        ObjectNode doc = (ObjectNode) agents.readItem(agent.id().value(), new PartitionKey(agent.id().value()),
                JsonNode.class).getItem();
        doc.remove("approvalRequired");
        agents.replaceItem(doc, agent.id().value(), new PartitionKey(agent.id().value()), new CosmosItemRequestOptions());

        // when
        Agent read = stores.agents().find(agent.id()).orElseThrow();

        // then
        assertThat(read).isEqualTo(agent);
        assertThat(read.approvalRequired()).isEmpty();
    }

    private static CosmosContainer turns() {
        return client.getDatabase(databaseName).getContainer(CosmosStores.TURNS);
    }

    /** Rewrites the stored document without {@code members}, as a version that knew none of them wrote it. */
    private static ObjectNode stripped(CosmosContainer container, String id, ThreadId thread, String... members) {
        PartitionKey partition = new PartitionKey(thread.value());
        ObjectNode doc = (ObjectNode) container.readItem(id, partition, JsonNode.class).getItem();
        for (String member : members) {
            doc.remove(member);
        }
        container.replaceItem(doc, id, partition, new CosmosItemRequestOptions());
        return doc;
    }
}
