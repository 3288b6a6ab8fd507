package dev.agentchat.ports.contract;

import static dev.agentchat.ports.contract.Records.T0;
import static dev.agentchat.ports.contract.Records.aMessageId;
import static dev.agentchat.ports.contract.Records.aRun;
import static dev.agentchat.ports.contract.Records.aRunId;
import static dev.agentchat.ports.contract.Records.aThreadId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.run.ApprovalVerdict;
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.run.Run;
import dev.agentchat.domain.run.RunFailure;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.run.RunStatus;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.usage.Usage;
import dev.agentchat.ports.run.RunStore;
import dev.agentchat.ports.store.RecordConflict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStore} must do. An adapter's test extends this and says how to make the store.
 * Every test works in threads of its own, so the store need not be empty.
 */
public abstract class RunStoreContract {
    private RunStore store;

    /** A store to test; it may hold other tests' runs. */
    protected abstract RunStore createSubject();

    @BeforeEach
    void createStore() {
        store = createSubject();
    }

    @Test
    void a_created_run_can_be_found_by_its_thread_and_id() {
        // given: a queued run, whose answer, failure, start and end are all missing
        Run run = aRun().createdAt(T0.plusMillis(250)).build();

        // when
        store.create(run);

        // then
        assertThat(store.find(run.threadId(), run.id())).contains(run);
    }

    @Test
    void a_run_is_not_found_through_another_thread() {
        // given
        Run run = aRun().build();
        store.create(run);

        // when / then
        assertThat(store.find(aThreadId(), run.id())).isEmpty();
    }

    @Test
    void an_unknown_run_is_not_found() {
        assertThat(store.find(aThreadId(), aRunId())).isEmpty();
    }

    @Test
    void creating_a_run_twice_is_a_conflict_that_keeps_the_first() {
        // given
        Run first = aRun().build();
        store.create(first);
        Run again = aRun().withId(first.id()).inThread(first.threadId()).createdAt(T0.plusSeconds(9)).build();

        // when / then
        assertThatThrownBy(() -> store.create(again)).isInstanceOf(RecordConflict.class);
        assertThat(store.find(first.threadId(), first.id())).contains(first);
    }

    @Test
    void update_replaces_the_stored_run_with_everything_it_carries() {
        // given
        Run queued = aRun().build();
        store.create(queued);
        Run started = queued.start(T0.plusSeconds(1)).state();
        Run completed = started.complete(aMessageId(), Usage.reported(120, 30), T0.plusMillis(4_321)).state();

        // when
        store.update(started);
        store.update(completed);

        // then
        assertThat(store.find(queued.threadId(), queued.id())).contains(completed);
        assertThat(store.listByThread(queued.threadId())).containsExactly(completed);
    }

    @Test
    void a_failed_run_keeps_its_failure_and_estimated_usage() {
        // given
        Run started = aRun().build().start(T0.plusSeconds(1)).state();
        store.create(started);
        Run failed = started.fail(new RunFailure("model_error", "The model service did not answer."), null,
                Usage.estimated(80, 3), T0.plusSeconds(2)).state();

        // when
        store.update(failed);

        // then
        assertThat(store.find(failed.threadId(), failed.id())).contains(failed);
    }

    @Test
    void updating_a_missing_run_is_a_conflict_and_does_not_create_it() {
        // given
        Run neverCreated = aRun().build().start(T0.plusSeconds(1)).state();

        // when / then
        assertThatThrownBy(() -> store.update(neverCreated)).isInstanceOf(RecordConflict.class);
        assertThat(store.find(neverCreated.threadId(), neverCreated.id())).isEmpty();
    }

    @Test
    void a_thread_lists_its_runs_oldest_first() {
        // given: created in an order that is neither oldest nor newest first
        ThreadId thread = aThreadId();
        Run middle = aRun().inThread(thread).createdAt(T0.plusSeconds(20)).build();
        Run newest = aRun().inThread(thread).createdAt(T0.plusSeconds(30)).build();
        Run oldest = aRun().inThread(thread).createdAt(T0.plusSeconds(10)).build();
        List.of(middle, newest, oldest).forEach(store::create);

        // when
        List<Run> runs = store.listByThread(thread);

        // then
        assertThat(runs).containsExactly(oldest, middle, newest);
    }

    @Test
    void a_thread_lists_only_its_own_runs() {
        // given
        ThreadId thread = aThreadId();
        Run mine = aRun().inThread(thread).build();
        Run elsewhere = aRun().build();
        store.create(mine);
        store.create(elsewhere);

        // when / then
        assertThat(store.listByThread(thread)).containsExactly(mine);
    }

    @Test
    void a_thread_without_runs_lists_none() {
        assertThat(store.listByThread(aThreadId())).isEmpty();
    }

    @Test
    void delete_by_thread_removes_its_runs_and_counts_them() {
        // given
        ThreadId thread = aThreadId();
        List<Run> runs = IntStream.range(0, 3)
                .mapToObj(i -> aRun().inThread(thread).createdAt(T0.plusSeconds(i)).build())
                .toList();
        runs.forEach(store::create);

        // when
        int removed = store.deleteByThread(thread);

        // then
        assertThat(removed).isEqualTo(3);
        assertThat(store.listByThread(thread)).isEmpty();
        assertThat(store.find(thread, runs.getFirst().id())).isEmpty();
        assertThat(store.deleteByThread(thread)).isZero();
    }

    @Test
    void delete_by_thread_leaves_other_threads_alone() {
        // given
        Run doomed = aRun().build();
        Run kept = aRun().build();
        store.create(doomed);
        store.create(kept);

        // when
        store.deleteByThread(doomed.threadId());

        // then
        assertThat(store.find(kept.threadId(), kept.id())).contains(kept);
        assertThat(store.listByThread(kept.threadId())).containsExactly(kept);
    }

    @Test
    void concurrent_creates_keep_every_run_and_let_exactly_one_create_of_the_same_id_win() {
        // given: distinct runs of one thread, and rivals that all create one id, each queued at its own time
        ThreadId thread = aThreadId();
        List<Run> distinct = IntStream.range(0, 60)
                .mapToObj(i -> aRun().inThread(thread).createdAt(T0.plusSeconds(i + 1)).build())
                .toList();
        RunId contestedId = aRunId();
        List<Run> rivals = IntStream.range(0, 20)
                .mapToObj(i -> aRun().inThread(thread).withId(contestedId).createdAt(T0.plusMillis(i)).build())
                .toList();
        List<Runnable> writers = new ArrayList<>();
        distinct.forEach(run -> writers.add(() -> store.create(run)));
        rivals.forEach(run -> writers.add(() -> store.create(run)));

        // when
        List<Race.Outcome> outcomes = Race.run(writers);

        // then
        assertThat(outcomes.subList(0, distinct.size())).allMatch(Race.Outcome::succeeded);
        List<Race.Outcome> contest = outcomes.subList(distinct.size(), outcomes.size());
        assertThat(contest).filteredOn(Race.Outcome::succeeded).hasSize(1);
        assertThat(contest).filteredOn(outcome -> !outcome.succeeded()).hasSize(rivals.size() - 1)
                .allMatch(Race.Outcome::conflicted);
        Run winner = rivals.get(contest.indexOf(new Race.Outcome(null)));
        assertThat(store.find(thread, contestedId)).contains(winner);
        List<Run> listed = store.listByThread(thread);
        assertThat(listed).hasSize(distinct.size() + 1);
        assertThat(listed.subList(1, listed.size())).containsExactlyElementsOf(distinct);
    }

    @Test
    void a_run_ended_twice_from_the_same_copy_keeps_the_first_end() {
        // given a run in progress, which one instance completes
        Run running = aRun().build().start(T0).state();
        store.create(running);
        Run completed = running.complete(aMessageId(),
                Usage.reported(5, 5), T0.plusSeconds(1)).state();
        store.update(completed);

        // when another ends the same in-progress copy as failed
        Run failed = running.fail(new RunFailure("store_error", "late"),
                null, Usage.NONE, T0.plusSeconds(2)).state();

        // then
        assertThatThrownBy(() -> store.update(failed)).isInstanceOf(RecordConflict.class);
        assertThat(store.find(running.threadId(), running.id())).contains(completed);
    }

    @Test
    void unfinished_runs_begun_before_a_time_are_listed_oldest_first() {
        // given: long before any other test's runs, three unfinished runs, one ended, and one too recent
        Instant base = Instant.parse("2001-01-01T00:00:00Z").plusSeconds(uniqueSecond());
        Run oldest = aRun().createdAt(base).build().start(base).state();
        Run cancelling = aRun().createdAt(base.plusSeconds(1)).build().start(base.plusSeconds(1)).state()
                .requestCancel(base.plusSeconds(2)).state();
        Run queued = aRun().createdAt(base.plusSeconds(3)).build();
        Run ended = aRun().createdAt(base.plusSeconds(2)).build().start(base.plusSeconds(2)).state()
                .fail(new RunFailure("model_error", "down"), null, Usage.NONE, base.plusSeconds(4)).state();
        Run recent = aRun().createdAt(base.plusSeconds(100)).build().start(base.plusSeconds(100)).state();
        List.of(oldest, cancelling, queued, ended, recent).forEach(store::create);

        // when
        List<Run> listed = store.listUnfinished(base.plusSeconds(50), 1_000);

        // then
        assertThat(listed).allMatch(run -> !run.status().isTerminal())
                .allMatch(run -> run.createdAt().isBefore(base.plusSeconds(50)));
        assertThat(listed).map(Run::id).containsSubsequence(oldest.id(), cancelling.id(), queued.id())
                .doesNotContain(ended.id(), recent.id());
        assertThat(store.listUnfinished(base.plusSeconds(50), 2)).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void a_run_paused_for_approval_keeps_its_round_working_time_and_usage_so_far() {
        // given a run that worked 61.5 s before it paused
        Run running = aRun().build().start(T0).state();
        store.create(running);
        Run waiting = Approvals.paused(running, T0.plusMillis(61_500));

        // when
        store.update(waiting);

        // then
        Run stored = store.find(waiting.threadId(), waiting.id()).orElseThrow();
        assertThat(stored).isEqualTo(waiting);
        assertThat(stored.status()).isEqualTo(RunStatus.REQUIRES_ACTION);
        assertThat(stored.workedBefore()).isEqualTo(Duration.ofMillis(61_500));
        assertThat(stored.approvals().pending()).hasSize(2);
        assertThat(stored.approvals().answerSoFar()).isEqualTo("Let me check \"both\" servers. ");
    }

    @Test
    void a_resumed_run_keeps_when_it_resumed_and_every_decision_with_who_made_it() {
        // given
        Run running = aRun().build().start(T0).state();
        store.create(running);
        Run waiting = Approvals.paused(running, T0.plusSeconds(10));
        store.update(waiting);
        Instant decidedAt = T0.plusMillis(95_250);
        Run resumed = Approvals.accepted(waiting.decide(Approvals.approvedAndDenied(waiting, decidedAt), decidedAt));

        // when
        store.update(resumed);

        // then
        Run stored = store.find(resumed.threadId(), resumed.id()).orElseThrow();
        assertThat(stored).isEqualTo(resumed);
        assertThat(stored.resumedAt()).isEqualTo(decidedAt);
        assertThat(stored.approvals().decisions()).isEqualTo(Approvals.approvedAndDenied(waiting, decidedAt));
        assertThat(stored.decide(Approvals.approvedAndDenied(waiting, decidedAt.plusSeconds(5)), decidedAt.plusSeconds(5)))
                .as("the stored decisions still tell a repeated request").isEqualTo(new ApprovalVerdict.Repeated(stored));
    }

    @Test
    void a_run_whose_calls_expired_keeps_that_nobody_decided_them() {
        // given
        Run running = aRun().build().start(T0).state();
        store.create(running);
        Run waiting = Approvals.paused(running, T0.plusSeconds(10));
        store.update(waiting);
        Run expired = waiting.expire(Approvals.TIMEOUT, waiting.approvals().expiresAt().plusMillis(1)).orElseThrow().state();

        // when
        store.update(expired);

        // then
        Run stored = store.find(expired.threadId(), expired.id()).orElseThrow();
        assertThat(stored).isEqualTo(expired);
        assertThat(stored.approvals().decisions().values()).allSatisfy(decision -> {
            assertThat(decision.expired()).isTrue();
            assertThat(decision.decidedBy()).isNull();
        });
    }

    @Test
    void a_run_keeps_the_clients_own_tools_it_was_offered_and_which_of_its_waiting_calls_are_the_clients() {
        // given a run whose model was offered a tool of the client's, paused for a call of it
        Run running = aRun().offeringClientTools(Approvals.GET_LOCATION).build().start(T0).state();
        store.create(running);
        Run waiting = Approvals.pausedForTheClient(running, T0.plusSeconds(3));

        // when
        store.update(waiting);

        // then
        Run stored = store.find(waiting.threadId(), waiting.id()).orElseThrow();
        assertThat(stored).isEqualTo(waiting);
        assertThat(stored.clientTools()).containsExactly(Approvals.GET_LOCATION);
        assertThat(stored.approvals().pending()).extracting(PendingCall::clientSide).containsExactly(true, false);
    }

    @Test
    void a_run_resumed_with_what_the_clients_tool_gave_keeps_it_so_that_the_same_answer_again_is_a_repeat() {
        // given
        Run running = aRun().offeringClientTools(Approvals.GET_LOCATION).build().start(T0).state();
        store.create(running);
        Run waiting = Approvals.pausedForTheClient(running, T0.plusSeconds(3));
        store.update(waiting);
        Instant answeredAt = T0.plusMillis(40_125);
        Run resumed = Approvals.accepted(waiting.decide(Approvals.clientAnsweredAndApproved(waiting, answeredAt), answeredAt));

        // when
        store.update(resumed);

        // then
        Run stored = store.find(resumed.threadId(), resumed.id()).orElseThrow();
        assertThat(stored).isEqualTo(resumed);
        assertThat(stored.approvals().decisions().get(waiting.approvals().pending().getFirst().stepId()).output())
                .isEqualTo("{\"city\":\"Lisbon\"}");
        assertThat(stored.decide(Approvals.clientAnsweredAndApproved(waiting, answeredAt.plusSeconds(5)),
                answeredAt.plusSeconds(5))).as("the stored output still tells a repeated answer")
                .isEqualTo(new ApprovalVerdict.Repeated(stored));
    }

    @Test
    void a_run_offered_none_of_the_clients_tools_reads_back_with_none() {
        // given
        Run running = aRun().build().start(T0).state();

        // when
        store.create(running);

        // then
        assertThat(store.find(running.threadId(), running.id()).orElseThrow().clientTools()).isEmpty();
    }

    @Test
    void a_run_that_ended_after_a_pause_keeps_the_time_it_worked() {
        // given
        Run running = aRun().build().start(T0).state();
        store.create(running);
        Run waiting = Approvals.paused(running, T0.plusSeconds(10));
        store.update(waiting);
        Run resumed = Approvals.accepted(waiting.decide(Approvals.approvedAndDenied(waiting, T0.plusSeconds(300)),
                T0.plusSeconds(300)));
        store.update(resumed);
        Run completed = resumed.complete(aMessageId(), Usage.reported(500, 60), T0.plusMillis(302_500)).state();

        // when
        store.update(completed);

        // then
        assertThat(store.find(completed.threadId(), completed.id())).contains(completed);
        assertThat(completed.workedBefore()).isEqualTo(Duration.ofMillis(12_500));
    }

    @Test
    void runs_whose_approval_expired_are_listed_soonest_expired_first_and_no_others() {
        // given, long before any other test's runs: three waiting runs that expired, one that has not,
        // one resumed and one cancelled whose calls would have expired
        Instant base = Instant.parse("2001-01-01T00:00:00Z").plusSeconds(uniqueSecond());
        Run second = waitingRun(base.plusSeconds(20));
        Run first = waitingRun(base.plusSeconds(10));
        Run third = waitingRun(base.plusSeconds(30));
        Run notYet = waitingRun(base.plusSeconds(100));
        Run resumed = waitingRun(base.plusSeconds(5));
        resumed = Approvals.accepted(resumed.decide(Approvals.approvedAndDenied(resumed, base.minusSeconds(60)),
                base.minusSeconds(60)));
        store.update(resumed);
        Run cancelled = waitingRun(base.plusSeconds(6));
        cancelled = cancelled.cancel(RunFailure.CANCELLED, null, cancelled.usage(), base).state();
        store.update(cancelled);
        Instant cutoff = base.plusSeconds(50);

        // when
        List<Run> listed = store.listAwaitingApproval(cutoff, 1_000);

        // then
        assertThat(listed).allMatch(run -> run.status() == RunStatus.REQUIRES_ACTION)
                .allMatch(run -> run.approvals().expiresAt().isBefore(cutoff));
        assertThat(listed).map(Run::approvals).map(ApprovalRound::expiresAt).isSorted();
        assertThat(listed).map(Run::id).containsSubsequence(first.id(), second.id(), third.id())
                .doesNotContain(notYet.id(), resumed.id(), cancelled.id());
        assertThat(listed).filteredOn(run -> run.id().equals(first.id())).containsExactly(first);
    }

    @Test
    void the_expired_listing_holds_at_most_the_limit_and_those_expired_soonest() {
        // given
        Instant base = Instant.parse("2001-01-01T00:00:00Z").plusSeconds(uniqueSecond());
        List.of(30, 10, 20).forEach(seconds -> waitingRun(base.plusSeconds(seconds)));
        Instant cutoff = base.plusSeconds(50);
        List<Run> all = store.listAwaitingApproval(cutoff, 1_000);

        // when
        List<Run> firstTwo = store.listAwaitingApproval(cutoff, 2);

        // then
        assertThat(all).hasSizeGreaterThanOrEqualTo(3);
        assertThat(firstTwo).map(run -> run.approvals().expiresAt())
                .containsExactlyElementsOf(all.subList(0, 2).stream().map(run -> run.approvals().expiresAt()).toList());
        assertThat(store.listAwaitingApproval(cutoff, 0)).isEmpty();
    }

    @Test
    void a_run_expiring_exactly_at_the_cutoff_is_not_yet_listed() {
        // given
        Instant base = Instant.parse("2001-01-01T00:00:00Z").plusSeconds(uniqueSecond());
        Run run = waitingRun(base.plusSeconds(10));
        Instant expiresAt = run.approvals().expiresAt();

        // when / then
        assertThat(store.listAwaitingApproval(expiresAt, 1_000)).map(Run::id).doesNotContain(run.id());
        assertThat(store.listAwaitingApproval(expiresAt.plusNanos(1), 1_000)).map(Run::id).contains(run.id());
    }

    @Test
    void runs_waiting_for_approval_are_not_listed_as_unfinished_however_old() {
        // given a working run and a waiting one, both created at base
        Instant base = Instant.parse("2001-01-01T00:00:00Z").plusSeconds(uniqueSecond());
        Run working = aRun().createdAt(base).build().start(base).state();
        store.create(working);
        Run waiting = waitingRun(base.plusSeconds(1).plus(Approvals.TIMEOUT));

        // when
        List<Run> listed = store.listUnfinished(base.plusSeconds(50), 1_000);

        // then
        assertThat(listed).map(Run::id).contains(working.id()).doesNotContain(waiting.id());
        assertThat(listed).allMatch(run -> run.status().isWorking());
    }

    /** A second of its own for each run of the suite, so that runs left by earlier runs of it do not interleave. */
    private static long uniqueSecond() {
        return (System.currentTimeMillis() / 1000) % 100_000_000L;
    }

    /** A run created and paused just before its calls expire at {@code expiresAt}, stored. */
    private Run waitingRun(Instant expiresAt) {
        Instant pausedAt = expiresAt.minus(Approvals.TIMEOUT);
        Run running = aRun().createdAt(pausedAt.minusSeconds(1)).build().start(pausedAt.minusSeconds(1)).state();
        store.create(running);
        Run waiting = Approvals.paused(running, pausedAt);
        store.update(waiting);
        return waiting;
    }
}
