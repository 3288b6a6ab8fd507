package dev.agentchat.ports.thread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import org.junit.jupiter.api.Test;

class ClientThreadKeyTest {
    private static final AgentId AGENT = AgentId.of("support-triage");
    private static final UserId ADA = UserId.of("ada");

    @Test
    void a_client_named_thread_is_the_same_for_the_same_agent_user_and_key_and_another_for_any_other() {
        ThreadId named = new ClientThreadKey("3b2e5c1a-thread").threadOf(AGENT, ADA);

        assertThat(new ClientThreadKey("3b2e5c1a-thread").threadOf(AGENT, ADA)).isEqualTo(named);
        assertThat(named.value()).matches("thread_c[0-9a-f]{32}");
        assertThat(new ClientThreadKey("3b2e5c1a-thread").threadOf(AGENT, UserId.of("bob"))).isNotEqualTo(named);
        assertThat(new ClientThreadKey("3b2e5c1a-thread").threadOf(AgentId.of("ops-assistant"), ADA)).isNotEqualTo(named);
        assertThat(new ClientThreadKey("3b2e5c1a-thread ").threadOf(AGENT, ADA)).isNotEqualTo(named);
    }

    @Test
    void the_parts_of_a_client_name_cannot_run_into_each_other() {
        assertThat(new ClientThreadKey("key").threadOf(AgentId.of("ab"), UserId.of("c")))
                .isNotEqualTo(new ClientThreadKey("key").threadOf(AgentId.of("a"), UserId.of("bc")));
    }

    @Test
    void a_client_key_is_not_blank_and_at_most_128_characters() {
        assertThat(new ClientThreadKey("k".repeat(128)).threadOf(AGENT, ADA).value()).startsWith("thread_c");
        assertThatThrownBy(() -> new ClientThreadKey(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientThreadKey("k".repeat(129))).isInstanceOf(IllegalArgumentException.class);
    }
}
