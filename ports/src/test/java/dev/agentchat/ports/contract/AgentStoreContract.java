package dev.agentchat.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.agent.Agent;
import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.agent.AgentStatus;
import dev.agentchat.domain.agent.ModelSettings;
import dev.agentchat.ports.agent.AgentPage;
import dev.agentchat.ports.agent.AgentStore;
import dev.agentchat.ports.store.PageRequest;
import dev.agentchat.ports.store.RecordConflict;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every agent store must do. Each test uses agents of its own, with fresh ids. */
public abstract class AgentStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

    protected AgentStore store;

    protected abstract AgentStore createSubject();

    @BeforeEach
    void createStore() {
        store = createSubject();
    }

    @Test
    void a_created_agent_is_found_by_its_id_and_by_each_alias_with_every_field() {
        // given
        AgentId alias = anId();
        Agent agent = new Agent(anId(), Set.of(alias), "Billing help", "Answers billing questions.", "Be exact.",
                List.of("calculator"), 4_000, new ModelSettings("gpt-4o-mini", 0.2, 800), AgentStatus.ACTIVE,
                Map.of("team", "billing"), 1, T0, T0);

        // when
        store.create(agent);

        // then
        assertThat(store.find(agent.id())).contains(agent);
        assertThat(store.find(alias)).contains(agent);
        assertThat(store.find(anId())).isEmpty();
    }

    @Test
    void an_id_or_alias_that_already_names_an_agent_cannot_name_another() {
        Agent first = anAgent(Set.of(anId()));
        store.create(first);
        AgentId firstAlias = first.aliases().iterator().next();

        assertThatThrownBy(() -> store.create(anAgentWithId(first.id()))).isInstanceOf(RecordConflict.class);
        assertThatThrownBy(() -> store.create(anAgentWithId(firstAlias))).isInstanceOf(RecordConflict.class);
        assertThatThrownBy(() -> store.create(anAgent(Set.of(first.id())))).isInstanceOf(RecordConflict.class);
        assertThat(store.find(first.id())).contains(first);
    }

    @Test
    void an_update_moves_the_agent_to_its_next_version_and_a_stale_one_is_a_conflict() {
        // given two editors of the same agent
        Agent agent = anAgent(Set.of());
        store.create(agent);
        Agent renamed = agent.revisedTo(new Agent(agent.id(), Set.of(), "Renamed", "", "New instructions."), T0.plusSeconds(1));
        store.update(renamed);

        // when the other saves the copy it read before
        Agent stale = agent.revisedTo(new Agent(agent.id(), Set.of(), "Other name", "", "Other instructions."), T0.plusSeconds(2));

        // then
        assertThat(renamed.version()).isEqualTo(2);
        assertThatThrownBy(() -> store.update(stale)).isInstanceOf(RecordConflict.class);
        assertThat(store.find(agent.id())).contains(renamed);
    }

    @Test
    void updating_a_missing_agent_is_a_conflict_and_does_not_create_it() {
        Agent never = anAgent(Set.of());

        assertThatThrownBy(() -> store.update(never.retired(T0))).isInstanceOf(RecordConflict.class);
        assertThat(store.find(never.id())).isEmpty();
    }

    @Test
    void a_retired_agent_is_still_found_and_listed_only_when_asked_for() {
        // given
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Agent active = anAgentWithId(AgentId.of("a-" + tag));
        Agent retired = anAgentWithId(AgentId.of("b-" + tag));
        store.create(active);
        store.create(retired);
        store.update(retired.retired(T0.plusSeconds(1)));

        // when
        AgentPage inactive = store.list(EnumSet.of(AgentStatus.INACTIVE), PageRequest.first(100));

        // then
        assertThat(store.find(retired.id())).hasValueSatisfying(agent -> assertThat(agent.isActive()).isFalse());
        assertThat(inactive.agents()).extracting(Agent::id).contains(retired.id()).doesNotContain(active.id());
        assertThat(store.list(EnumSet.of(AgentStatus.ACTIVE), PageRequest.first(100)).agents()).extracting(Agent::id)
                .contains(active.id()).doesNotContain(retired.id());
    }

    @Test
    void the_listing_is_by_id_and_pages_with_the_total() {
        // given three agents whose ids sort together, after any others
        String tag = "zz-" + UUID.randomUUID().toString().substring(0, 8);
        for (String suffix : List.of("b", "c", "a")) {
            store.create(anAgentWithId(AgentId.of(tag + "-" + suffix)));
        }
        long total = store.list(EnumSet.allOf(AgentStatus.class), PageRequest.first(100)).total();

        // when
        AgentPage last = store.list(EnumSet.allOf(AgentStatus.class), new PageRequest(2, (int) total - 3));

        // then
        assertThat(last.agents()).extracting(agent -> agent.id().value()).containsExactly(tag + "-a", tag + "-b");
        assertThat(last.total()).isEqualTo(total);
    }

    @Test
    void an_agent_keeps_which_of_its_tools_need_approval_through_an_update() {
        // given
        Agent agent = new Agent(anId(), Set.of(), "Ops", "Runs the platform.", "Ask first.",
                List.of("calculator", "current_time", "restart_service"), List.of("restart_service", "calculator"),
                4_000, ModelSettings.DEFAULTS, AgentStatus.ACTIVE, Map.of(), 1, T0, T0);
        store.create(agent);
        Agent revised = agent.revisedTo(new Agent(agent.id(), Set.of(), "Ops", "Runs the platform.", "Ask first.",
                List.of("calculator", "restart_service"), List.of("restart_service"), 4_000, ModelSettings.DEFAULTS,
                AgentStatus.ACTIVE, Map.of(), 1, T0, T0), T0.plusSeconds(1));

        // when
        Agent created = store.find(agent.id()).orElseThrow();
        store.update(revised);

        // then
        assertThat(created).isEqualTo(agent);
        assertThat(created.approvalRequired()).containsExactly("restart_service", "calculator");
        assertThat(store.find(agent.id())).contains(revised);
    }

    @Test
    void an_agent_defined_without_approvals_needs_none() {
        Agent agent = anAgent(Set.of());
        store.create(agent);

        assertThat(store.find(agent.id()).orElseThrow().approvalRequired()).isEmpty();
    }

    private static AgentId anId() {
        return AgentId.of("agent-" + UUID.randomUUID().toString().substring(0, 13));
    }

    private static Agent anAgent(Set<AgentId> aliases) {
        return new Agent(anId(), aliases, "An agent", "For tests.", "Help.").savedFirst(T0);
    }

    private static Agent anAgentWithId(AgentId id) {
        return new Agent(id, Set.of(), "An agent", "For tests.", "Help.").savedFirst(T0);
    }
}
