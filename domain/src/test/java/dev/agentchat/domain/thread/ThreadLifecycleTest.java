package dev.agentchat.domain.thread;

import dev.agentchat.domain.refusal.ThreadBusy;
import dev.agentchat.domain.refusal.ThreadDeleted;
import static dev.agentchat.domain.Times.secondsAfterT0;
import static dev.agentchat.domain.thread.TestThreads.aThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.run.TestRuns;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ThreadLifecycleTest {

    /** The legal moves, written out here as the lifecycle says them, not read from ThreadState. */
    private static final Map<ThreadState, Map<ThreadMove, ThreadState>> LEGAL = Map.of(
            ThreadState.FREE, Map.of(ThreadMove.CLAIM, ThreadState.BUSY, ThreadMove.DELETE, ThreadState.DELETED),
            ThreadState.BUSY, Map.of(ThreadMove.RELEASE, ThreadState.FREE, ThreadMove.DELETE, ThreadState.DELETED),
            ThreadState.DELETED, Map.of(ThreadMove.RELEASE, ThreadState.DELETED, ThreadMove.DELETE, ThreadState.DELETED));

    private static final RunId HOLDER = RunId.of("run-1");
    private static final RunId NEXT = RunId.of("run-2");
    private static final Instant CLAIMED_AT = secondsAfterT0(1);
    private static final Instant NOW = secondsAfterT0(5);

    static Stream<Arguments> everyStateAndMove() {
        return Arrays.stream(ThreadState.values())
                .flatMap(from -> Arrays.stream(ThreadMove.values()).map(move -> Arguments.of(from, move)));
    }

    static Stream<Arguments> legalMoves() {
        return LEGAL.entrySet().stream().flatMap(row -> row.getValue().entrySet().stream()
                .map(cell -> Arguments.of(row.getKey(), cell.getKey(), cell.getValue())));
    }

    @ParameterizedTest(name = "{1} from {0}")
    @MethodSource("everyStateAndMove")
    void the_table_allows_exactly_the_moves_of_the_lifecycle(ThreadState from, ThreadMove move) {
        assertThat(from.after(move)).isEqualTo(Optional.ofNullable(LEGAL.get(from).get(move)));
    }

    @ParameterizedTest(name = "{1} from {0} leads to {2}")
    @MethodSource("legalMoves")
    void every_legal_move_leads_the_thread_where_the_table_says(ThreadState from, ThreadMove move, ThreadState to) {
        // given
        ChatThread thread = threadIn(from);

        // when
        ChatThread moved = apply(move, thread);

        // then
        assertThat(moved.state(activeRunOf(moved), NOW)).isEqualTo(to);
        assertThat(moved.status()).isEqualTo(to == ThreadState.DELETED ? ThreadStatus.DELETED : ThreadStatus.ACTIVE);
    }

    @Test
    void a_claim_records_its_run_and_a_release_forgets_it() {
        // given
        ChatThread free = threadIn(ThreadState.FREE);

        // when
        ChatThread claimed = free.startRun(NEXT, Optional.empty(), NOW);
        ChatThread released = claimed.runEnded(NEXT, NOW.plusSeconds(1));

        // then
        assertThat(claimed.activeRun()).contains(NEXT);
        assertThat(released.activeRun()).isEmpty();
        assertThat(released.revision()).isEqualTo(free.revision() + 2);
    }

    @Test
    void a_thread_deleted_while_its_run_goes_on_keeps_the_run_whose_end_releases_it() {
        // given
        ChatThread deleted = threadIn(ThreadState.BUSY).softDeleted(NOW);

        // when
        ChatThread released = deleted.runEnded(HOLDER, NOW.plusSeconds(1));

        // then
        assertThat(deleted.activeRun()).contains(HOLDER);
        assertThat(released.activeRun()).isEmpty();
        assertThat(released.status()).isEqualTo(ThreadStatus.DELETED);
    }

    @Test
    void deleting_a_deleted_thread_is_allowed_and_changes_nothing() {
        ChatThread deleted = threadIn(ThreadState.DELETED);

        assertThat(deleted.softDeleted(NOW.plusSeconds(30))).isSameAs(deleted);
    }

    @Test
    void claiming_a_busy_thread_is_refused_naming_the_run_that_holds_it() {
        ChatThread busy = threadIn(ThreadState.BUSY);

        assertThatThrownBy(() -> busy.startRun(NEXT, Optional.of(running(HOLDER)), NOW))
                .isInstanceOfSatisfying(ThreadBusy.class, refused -> {
                    assertThat(refused.runId()).isEqualTo(HOLDER);
                    assertThat(refused.threadId()).isEqualTo(busy.id());
                });
        assertThatThrownBy(() -> busy.checkClaimable(Optional.of(running(HOLDER)), NOW))
                .as("the check refuses as the claim would").isInstanceOf(ThreadBusy.class);
    }

    @Test
    void claiming_a_deleted_thread_is_refused_even_when_its_run_has_ended() {
        ChatThread deleted = threadIn(ThreadState.DELETED);

        assertThatThrownBy(() -> deleted.startRun(NEXT, Optional.of(ended(HOLDER)), NOW))
                .isInstanceOfSatisfying(ThreadDeleted.class, refused -> assertThat(refused.threadId()).isEqualTo(deleted.id()));
        assertThatThrownBy(() -> deleted.checkClaimable(Optional.empty(), NOW)).isInstanceOf(ThreadDeleted.class);
    }

    @Test
    void a_free_thread_passes_the_claim_check() {
        threadIn(ThreadState.FREE).checkClaimable(Optional.empty(), NOW);
        threadIn(ThreadState.BUSY).checkClaimable(Optional.of(ended(HOLDER)), NOW);
    }

    @Test
    void a_release_by_a_run_that_does_not_hold_the_thread_is_no_move_at_all() {
        ChatThread busy = threadIn(ThreadState.BUSY);
        ChatThread free = threadIn(ThreadState.FREE);

        assertThat(busy.runEnded(NEXT, NOW)).isSameAs(busy);
        assertThat(free.runEnded(NEXT, NOW)).isSameAs(free);
    }

    @Test
    void the_state_is_read_from_the_stored_status_and_the_recorded_run() {
        ChatThread busy = threadIn(ThreadState.BUSY);

        assertThat(threadIn(ThreadState.FREE).state(Optional.empty(), NOW)).isEqualTo(ThreadState.FREE);
        assertThat(busy.state(Optional.of(running(HOLDER)), NOW)).isEqualTo(ThreadState.BUSY);
        assertThat(busy.softDeleted(NOW).state(Optional.of(running(HOLDER)), NOW)).isEqualTo(ThreadState.DELETED);
    }

    @Test
    void a_claim_whose_run_ended_without_releasing_the_thread_has_lapsed() {
        ChatThread busy = threadIn(ThreadState.BUSY);

        assertThat(busy.state(Optional.of(ended(HOLDER)), NOW)).isEqualTo(ThreadState.FREE);
        assertThat(busy.startRun(NEXT, Optional.of(ended(HOLDER)), NOW).activeRun()).contains(NEXT);
    }

    @Test
    void a_claim_whose_run_was_never_stored_lapses_after_the_set_up_time() {
        ChatThread busy = threadIn(ThreadState.BUSY);
        Instant setUpOver = CLAIMED_AT.plus(ChatThread.CLAIM_SETUP_TIME);

        assertThat(busy.state(Optional.empty(), setUpOver.minusMillis(1))).isEqualTo(ThreadState.BUSY);
        assertThat(busy.state(Optional.empty(), setUpOver)).isEqualTo(ThreadState.FREE);
    }

    @Test
    void another_run_than_the_recorded_one_says_nothing_about_the_claim() {
        // given a thread claimed a moment ago, and some other run of it that has ended
        ChatThread busy = threadIn(ThreadState.BUSY);

        // when / then the claim still holds while its own run may be being stored
        assertThat(busy.state(Optional.of(ended(NEXT)), NOW)).isEqualTo(ThreadState.BUSY);
    }

    /**
     * A thread brought to {@code state} through the real moves: a busy one is held by {@link #HOLDER},
     * a deleted one was deleted while {@link #HOLDER} answered in it.
     */
    private static ChatThread threadIn(ThreadState state) {
        ChatThread free = aThread().open();
        return switch (state) {
            case FREE -> free;
            case BUSY -> free.startRun(HOLDER, Optional.empty(), CLAIMED_AT);
            case DELETED -> free.startRun(HOLDER, Optional.empty(), CLAIMED_AT).softDeleted(CLAIMED_AT);
        };
    }

    /** Makes {@code move} through the one method that makes it; a release is by the thread's own run. */
    private static ChatThread apply(ThreadMove move, ChatThread thread) {
        return switch (move) {
            case CLAIM -> thread.startRun(NEXT, Optional.empty(), NOW);
            case RELEASE -> thread.runEnded(thread.activeRun().orElseThrow(), NOW);
            case DELETE -> thread.softDeleted(NOW);
        };
    }

    /** The thread's recorded run as the store would show it: still going. */
    private static Optional<Run> activeRunOf(ChatThread thread) {
        return thread.activeRun().map(ThreadLifecycleTest::running);
    }

    private static Run running(RunId id) {
        return TestRuns.aRun().withId(id.value()).running();
    }

    private static Run ended(RunId id) {
        return TestRuns.aRun().withId(id.value()).in(RunStatus.COMPLETED);
    }
}
