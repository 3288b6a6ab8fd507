package dev.agentchat.bootstrap;

import static dev.agentchat.bootstrap.ServiceUnderTest.body;
import static dev.agentchat.bootstrap.ServiceUnderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentchat.adapter.memory.agent.InMemoryAgentStore;
import dev.agentchat.adapter.memory.model.Reply;
import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentRulesTest {

    @Test
    void a_retired_agent_takes_no_new_messages_but_its_threads_stay_readable() {
        try (ServiceUnderTest service = new ServiceUnderTest()) {
            service.model.reply(Reply.text("Hello."));
            String threadId = service.chatToDone("ops-assistant", body("message", "hi")).get("thread_id").asText();
            Agent agent = service.components.agents().find(AgentId.of("ops-assistant")).orElseThrow();
            service.components.agents().update(agent.retired(Instant.now()));

            var refused = service.postJson("/api/agents/azure-ops/chat", body("message", "again", "stream", false));
            var thread = service.get("/api/agents/ops-assistant/threads/" + threadId);

            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(parse(refused.body()).get("code").asText()).isEqualTo("agent_inactive");
            assertThat(thread.statusCode()).isEqualTo(200);
            assertThat(service.model.requests()).hasSize(1);
        }
    }

    @Test
    void seeding_twice_adds_nothing_and_keeps_edits() {
        InMemoryAgentStore store = new InMemoryAgentStore();
        int first = AgentSeeding.seed(store, DefaultAgents.all(), Instant.parse("2026-11-25T00:00:00Z"));
        Agent seeded = store.find(AgentId.of("support-triage")).orElseThrow();
        Agent edited = seeded.revisedTo(new Agent(seeded.id(), seeded.aliases(), "Edited", "", "Edited instructions."),
                Instant.parse("2026-11-25T01:00:00Z"));
        store.update(edited);

        int second = AgentSeeding.seed(store, DefaultAgents.all(), Instant.parse("2026-11-25T02:00:00Z"));

        assertThat(first).isEqualTo(DefaultAgents.all().size());
        assertThat(second).isZero();
        assertThat(store.list()).hasSize(DefaultAgents.all().size());
        assertThat(store.find(AgentId.of("support-triage"))).contains(edited);
    }
}
