package dev.agentchat.domain.thread;

import static dev.agentchat.domain.Times.T0;
import static dev.agentchat.domain.Times.secondsAfterT0;
import static dev.agentchat.domain.thread.TestThreads.aThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.agent.AgentId;
import org.junit.jupiter.api.Test;

class ChatThreadTest {

    @Test
    void an_opened_thread_is_active_titled_after_its_first_message_and_created_when_updated() {
        // when
        ChatThread thread = aThread().openedWith("  How do I\nbake bread? ").openedAt(T0).open();

        // then
        assertThat(thread.status()).isEqualTo(ThreadStatus.ACTIVE);
        assertThat(thread.isDeleted()).isFalse();
        assertThat(thread.title()).isEqualTo("How do I bake bread?");
        assertThat(thread.createdAt()).isEqualTo(T0);
        assertThat(thread.updatedAt()).isEqualTo(thread.createdAt());
    }

    @Test
    void continuing_a_thread_moves_only_its_update_time() {
        // given
        ChatThread thread = aThread().openedAt(T0).open();

        // when
        ChatThread continued = thread.continued(secondsAfterT0(60));

        // then
        assertThat(continued.updatedAt()).isEqualTo(secondsAfterT0(60));
        assertThat(continued.createdAt()).isEqualTo(T0);
        assertThat(continued.status()).isEqualTo(ThreadStatus.ACTIVE);
        assertThat(continued.title()).isEqualTo(thread.title());
    }

    @Test
    void soft_deleting_a_thread_flags_it_deleted_and_records_when() {
        // given
        ChatThread thread = aThread().openedAt(T0).open();

        // when
        ChatThread deleted = thread.softDeleted(secondsAfterT0(10));

        // then
        assertThat(deleted.isDeleted()).isTrue();
        assertThat(deleted.status()).isEqualTo(ThreadStatus.DELETED);
        assertThat(deleted.updatedAt()).isEqualTo(secondsAfterT0(10));
        assertThat(deleted.createdAt()).isEqualTo(T0);
        assertThat(thread.isDeleted()).as("the original is unchanged").isFalse();
    }

    @Test
    void soft_deleting_a_deleted_thread_again_changes_nothing() {
        // given
        ChatThread deleted = aThread().open().softDeleted(secondsAfterT0(10));

        // when
        ChatThread again = deleted.softDeleted(secondsAfterT0(99));

        // then
        assertThat(again).isEqualTo(deleted);
        assertThat(again.updatedAt()).isEqualTo(secondsAfterT0(10));
    }

    @Test
    void a_thread_belongs_to_the_scope_of_its_own_agent_and_user() {
        // given
        ChatThread thread = aThread().forAgent("helper").ownedBy("ada").open();

        // when / then
        assertThat(thread.belongsTo(new ThreadScope(AgentId.of("helper"), UserId.of("ada")))).isTrue();
        assertThat(thread.scope()).isEqualTo(new ThreadScope(AgentId.of("helper"), UserId.of("ada")));
    }

    @Test
    void a_thread_does_not_belong_to_another_users_scope_with_the_same_agent() {
        // given
        ChatThread thread = aThread().forAgent("helper").ownedBy("ada").open();

        // when / then
        assertThat(thread.belongsTo(new ThreadScope(AgentId.of("helper"), UserId.of("grace")))).isFalse();
    }

    @Test
    void a_thread_does_not_belong_to_another_agents_scope_for_the_same_user() {
        // given
        ChatThread thread = aThread().forAgent("helper").ownedBy("ada").open();

        // when / then
        assertThat(thread.belongsTo(new ThreadScope(AgentId.of("planner"), UserId.of("ada")))).isFalse();
    }

    @Test
    void a_thread_cannot_hold_a_title_longer_than_a_title_may_be() {
        // given
        String tooLong = "t".repeat(ThreadTitle.MAX_LENGTH + 1);

        // when / then
        assertThatThrownBy(() -> new ChatThread(ThreadId.of("thread-1"), AgentId.of("helper"), UserId.of("ada"),
                tooLong, ThreadStatus.ACTIVE, T0, T0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("title");
    }

    @Test
    void a_thread_can_be_removed_only_when_none_of_its_runs_is_in_progress() {
        ChatThread thread = aThread().open();
        var started = dev.agentchat.domain.run.TestRuns.aRun().withId("run-busy").running();
        var done = started.complete(dev.agentchat.domain.run.TestRuns.ANSWER, dev.agentchat.domain.run.TestRuns.USAGE,
                secondsAfterT0(1)).state();

        thread.checkRemovable(java.util.List.of(done));
        assertThatThrownBy(() -> thread.checkRemovable(java.util.List.of(done, started)))
                .isInstanceOfSatisfying(ThreadBusy.class, busy -> assertThat(busy.runId().value()).isEqualTo("run-busy"));
    }
}
