package dev.agentchat.domain.thread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.agent.AgentId;
import org.junit.jupiter.api.Test;

class ThreadIdTest {
    private static final AgentId AGENT = AgentId.of("support-triage");
    private static final UserId ADA = UserId.of("ada");

    @Test
    void a_client_named_thread_is_the_same_for_the_same_agent_user_and_key_and_another_for_any_other() {
        ThreadId named = ThreadId.forClient(AGENT, ADA, "3b2e5c1a-thread");

        assertThat(ThreadId.forClient(AGENT, ADA, "3b2e5c1a-thread")).isEqualTo(named);
        assertThat(named.value()).matches("thread_c[0-9a-f]{32}");
        assertThat(ThreadId.forClient(AGENT, UserId.of("bob"), "3b2e5c1a-thread")).isNotEqualTo(named);
        assertThat(ThreadId.forClient(AgentId.of("ops-assistant"), ADA, "3b2e5c1a-thread")).isNotEqualTo(named);
        assertThat(ThreadId.forClient(AGENT, ADA, "3b2e5c1a-thread ")).isNotEqualTo(named);
    }

    @Test
    void the_parts_of_a_client_name_cannot_run_into_each_other() {
        assertThat(ThreadId.forClient(AgentId.of("ab"), UserId.of("c"), "key"))
                .isNotEqualTo(ThreadId.forClient(AgentId.of("a"), UserId.of("bc"), "key"));
    }

    @Test
    void a_client_key_is_not_blank_and_at_most_128_characters() {
        assertThat(ThreadId.forClient(AGENT, ADA, "k".repeat(128)).value()).startsWith("thread_c");
        assertThatThrownBy(() -> ThreadId.forClient(AGENT, ADA, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThreadId.forClient(AGENT, ADA, "k".repeat(129))).isInstanceOf(IllegalArgumentException.class);
    }
}
