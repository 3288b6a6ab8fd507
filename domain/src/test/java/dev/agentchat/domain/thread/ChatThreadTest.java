package dev.agentchat.domain.thread;

import static dev.agentchat.domain.Times.T0;
import static dev.agentchat.domain.Times.secondsAfterT0;
import static dev.agentchat.domain.thread.TestThreads.aThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.refusal.ThreadBusy;
import dev.agentchat.domain.refusal.ThreadDeleted;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.TestRuns;
import java.util.Optional;
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
    void starting_a_run_moves_only_its_update_time_and_its_active_run() {
        // given
        ChatThread thread = aThread().openedAt(T0).open();

        // when
        ChatThread continued = thread.startRun(RunId.of("run-2"), Optional.empty(), secondsAfterT0(60));

        // then
        assertThat(continued.updatedAt()).isEqualTo(secondsAfterT0(60));
        assertThat(continued.createdAt()).isEqualTo(T0);
        assertThat(continued.status()).isEqualTo(ThreadStatus.ACTIVE);
        assertThat(continued.title()).isEqualTo(thread.title());
        assertThat(continued.activeRun()).contains(RunId.of("run-2"));
        assertThat(continued.revision()).isEqualTo(thread.revision() + 1);
    }

    @Test
    void a_thread_takes_no_second_run_while_its_active_run_goes_on() {
        // given
        Run running = TestRuns.aRun().withId("run-1").running();
        ChatThread busy = aThread().open().startRun(running.id(), Optional.empty(), secondsAfterT0(1));

        // when / then
        assertThatThrownBy(() -> busy.startRun(RunId.of("run-2"), Optional.of(running), secondsAfterT0(2)))
                .isInstanceOfSatisfying(ThreadBusy.class, e -> assertThat(e.runId()).isEqualTo(running.id()));
    }

    @Test
    void a_run_that_ended_without_releasing_the_thread_does_not_hold_it() {
        // given the run ended, but the thread still names it
        Run running = TestRuns.aRun().withId("run-1").running();
        Run ended = running.complete(TestRuns.ANSWER, TestRuns.USAGE, secondsAfterT0(2)).state();
        ChatThread stale = aThread().open().startRun(running.id(), Optional.empty(), secondsAfterT0(1));

        // when
        ChatThread next = stale.startRun(RunId.of("run-2"), Optional.of(ended), secondsAfterT0(3));

        // then
        assertThat(next.activeRun()).contains(RunId.of("run-2"));
    }

    @Test
    void a_recorded_run_not_stored_holds_the_thread_only_while_it_may_still_be_being_stored() {
        // given a claim whose run is not (yet) in the store
        ChatThread claimed = aThread().open().startRun(RunId.of("run-1"), Optional.empty(), secondsAfterT0(1));

        // when / then
        assertThatThrownBy(() -> claimed.startRun(RunId.of("run-2"), Optional.empty(), secondsAfterT0(5)))
                .as("right after the claim, its run is being stored").isInstanceOf(ThreadBusy.class);
        assertThat(claimed.startRun(RunId.of("run-3"), Optional.empty(),
                secondsAfterT0(1).plus(ChatThread.CLAIM_SETUP_TIME).plusSeconds(1)).activeRun())
                .as("a run never stored holds nothing for ever").contains(RunId.of("run-3"));
    }

    @Test
    void the_end_of_the_active_run_frees_the_thread_and_other_runs_change_nothing() {
        // given
        ChatThread busy = aThread().open().startRun(RunId.of("run-1"), Optional.empty(), secondsAfterT0(1));

        // when
        ChatThread freed = busy.runEnded(RunId.of("run-1"), secondsAfterT0(5));

        // then
        assertThat(freed.activeRun()).isEmpty();
        assertThat(freed.revision()).isEqualTo(busy.revision() + 1);
        assertThat(busy.runEnded(RunId.of("run-other"), secondsAfterT0(5))).isSameAs(busy);
    }

    @Test
    void a_deleted_thread_starts_no_run() {
        ChatThread deleted = aThread().open().softDeleted(secondsAfterT0(1));

        assertThatThrownBy(() -> deleted.startRun(RunId.of("run-2"), Optional.empty(), secondsAfterT0(2)))
                .isInstanceOf(ThreadDeleted.class);
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
                tooLong, ThreadStatus.ACTIVE, T0, T0, null, 0))
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
