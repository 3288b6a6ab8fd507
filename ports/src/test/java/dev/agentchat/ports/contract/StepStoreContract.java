package dev.agentchat.ports.contract;

import static dev.agentchat.ports.contract.Records.T0;
import static dev.agentchat.ports.contract.Records.aRunId;
import static dev.agentchat.ports.contract.Records.aStep;
import static dev.agentchat.ports.contract.Records.aThreadId;
import static dev.agentchat.ports.contract.Records.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.ports.step.StepStore;
import dev.agentchat.ports.store.RecordConflict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StepStore} must do. An adapter's test extends this and says how to make the store.
 * Every test works in threads and runs of its own, so the store need not be empty.
 */
public abstract class StepStoreContract {
    private StepStore store;

    /** A store to test; it may hold other tests' steps. */
    protected abstract StepStore createSubject();

    @BeforeEach
    void createStore() {
        store = createSubject();
    }

    @Test
    void a_created_step_is_listed_under_its_run() {
        // given: a step in progress, whose output, error and end are missing
        Step step = aStep().calling("lookup_vm", "{\"vm\":\"web-01\",\"note\":\"caf\u00e9 \\\"quoted\\\"\"}")
                .startedAt(T0.plusMillis(750)).build();

        // when
        store.create(step);

        // then
        assertThat(store.listByRun(step.threadId(), step.runId())).containsExactly(step);
    }

    @Test
    void creating_a_step_twice_is_a_conflict_that_keeps_the_first() {
        // given
        Step first = aStep().build();
        store.create(first);
        Step again = aStep().withId(first.id()).inThread(first.threadId()).ofRun(first.runId())
                .calling("restart_vm", "{}").build();

        // when / then
        assertThatThrownBy(() -> store.create(again)).isInstanceOf(RecordConflict.class);
        assertThat(store.listByRun(first.threadId(), first.runId())).containsExactly(first);
    }

    @Test
    void update_replaces_the_stored_step_with_its_output() {
        // given
        Step step = aStep().build();
        store.create(step);
        Step completed = step.complete("{\"state\":\"running\"}", T0.plusMillis(1_250)).state();

        // when
        store.update(completed);

        // then
        assertThat(store.listByRun(step.threadId(), step.runId())).containsExactly(completed);
    }

    @Test
    void a_failed_step_keeps_its_error() {
        // given
        Step step = aStep().build();
        store.create(step);
        Step failed = step.fail("The VM service timed out.", T0.plusSeconds(30)).state();

        // when
        store.update(failed);

        // then
        assertThat(store.listByRun(step.threadId(), step.runId())).containsExactly(failed);
    }

    @Test
    void updating_a_missing_step_is_a_conflict_and_does_not_create_it() {
        // given
        Step neverCreated = aStep().build().complete("done", T0.plusSeconds(1)).state();

        // when / then
        assertThatThrownBy(() -> store.update(neverCreated)).isInstanceOf(RecordConflict.class);
        assertThat(store.listByRun(neverCreated.threadId(), neverCreated.runId())).isEmpty();
    }

    @Test
    void a_run_lists_its_steps_in_the_order_they_started() {
        // given: created in an order that is neither the start order nor its reverse
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        Step second = aStep().inThread(thread).ofRun(run).startedAt(T0.plusMillis(500)).build();
        Step third = aStep().inThread(thread).ofRun(run).startedAt(T0.plusSeconds(1)).build();
        Step first = aStep().inThread(thread).ofRun(run).startedAt(T0).build();
        List.of(second, third, first).forEach(store::create);

        // when
        List<Step> steps = store.listByRun(thread, run);

        // then
        assertThat(steps).containsExactly(first, second, third);
    }

    @Test
    void a_thread_lists_the_steps_of_all_its_runs_in_the_order_they_started_and_no_others() {
        // given
        ThreadId thread = aThreadId();
        Step later = aStep().inThread(thread).ofRun(aRunId()).startedAt(T0.plusSeconds(2)).build();
        Step earlier = aStep().inThread(thread).ofRun(aRunId()).startedAt(T0.plusSeconds(1)).build();
        Step elsewhere = aStep().inThread(aThreadId()).ofRun(aRunId()).startedAt(T0).build();
        List.of(later, earlier, elsewhere).forEach(store::create);

        // when
        List<Step> steps = store.listByThread(thread);

        // then
        assertThat(steps).containsExactly(earlier, later);
    }

    @Test
    void a_run_lists_only_its_own_steps() {
        // given
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        Step mine = aStep().inThread(thread).ofRun(run).build();
        Step ofAnotherRun = aStep().inThread(thread).ofRun(aRunId()).build();
        store.create(mine);
        store.create(ofAnotherRun);

        // when / then
        assertThat(store.listByRun(thread, run)).containsExactly(mine);
    }

    @Test
    void a_run_is_listed_only_through_its_own_thread() {
        // given
        Step step = aStep().build();
        store.create(step);

        // when / then
        assertThat(store.listByRun(aThreadId(), step.runId())).isEmpty();
    }

    @Test
    void a_run_without_steps_lists_none() {
        assertThat(store.listByRun(aThreadId(), aRunId())).isEmpty();
    }

    @Test
    void delete_by_thread_removes_the_steps_of_every_run_of_the_thread_and_counts_them() {
        // given
        ThreadId thread = aThreadId();
        RunId firstRun = aRunId();
        RunId secondRun = aRunId();
        store.create(aStep().inThread(thread).ofRun(firstRun).build());
        store.create(aStep().inThread(thread).ofRun(firstRun).startedAt(T0.plusSeconds(1)).build());
        store.create(aStep().inThread(thread).ofRun(secondRun).startedAt(T0.plusSeconds(2)).build());

        // when
        int removed = store.deleteByThread(thread);

        // then
        assertThat(removed).isEqualTo(3);
        assertThat(store.listByRun(thread, firstRun)).isEmpty();
        assertThat(store.listByRun(thread, secondRun)).isEmpty();
        assertThat(store.deleteByThread(thread)).isZero();
    }

    @Test
    void delete_by_thread_leaves_other_threads_alone() {
        // given
        Step doomed = aStep().build();
        Step kept = aStep().build();
        store.create(doomed);
        store.create(kept);

        // when
        store.deleteByThread(doomed.threadId());

        // then
        assertThat(store.listByRun(kept.threadId(), kept.runId())).containsExactly(kept);
    }

    @Test
    void concurrent_creates_keep_every_step_and_let_exactly_one_create_of_the_same_id_win() {
        // given: distinct steps of one run, and rivals that all create one id, each calling its own tool
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        List<Step> distinct = IntStream.range(0, 60)
                .mapToObj(i -> aStep().inThread(thread).ofRun(run).startedAt(T0.plusSeconds(i + 1)).build())
                .toList();
        StepId contestedId = StepId.of(uniqueId("step"));
        List<Step> rivals = IntStream.range(0, 20)
                .mapToObj(i -> aStep().inThread(thread).ofRun(run).withId(contestedId)
                        .calling("tool_" + i, "{}").build())
                .toList();
        List<Runnable> writers = new ArrayList<>();
        distinct.forEach(step -> writers.add(() -> store.create(step)));
        rivals.forEach(step -> writers.add(() -> store.create(step)));

        // when
        List<Race.Outcome> outcomes = Race.run(writers);

        // then
        assertThat(outcomes.subList(0, distinct.size())).allMatch(Race.Outcome::succeeded);
        List<Race.Outcome> contest = outcomes.subList(distinct.size(), outcomes.size());
        assertThat(contest).filteredOn(Race.Outcome::succeeded).hasSize(1);
        assertThat(contest).filteredOn(outcome -> !outcome.succeeded()).hasSize(rivals.size() - 1)
                .allMatch(Race.Outcome::conflicted);
        Step winner = rivals.get(contest.indexOf(new Race.Outcome(null)));
        List<Step> listed = store.listByRun(thread, run);
        assertThat(listed).hasSize(distinct.size() + 1);
        assertThat(listed.getFirst()).isEqualTo(winner);
        assertThat(listed.subList(1, listed.size())).containsExactlyElementsOf(distinct);
    }

    @Test
    void a_run_with_more_steps_than_a_page_of_the_database_lists_them_all_in_start_order() {
        // given: 250 steps stored in the reverse of the order they started
        ThreadId thread = aThreadId();
        RunId run = aRunId();
        List<Step> stored = new ArrayList<>();
        for (int i = 249; i >= 0; i--) {
            Step step = aStep().inThread(thread).ofRun(run).startedAt(T0.plusMillis(i)).build();
            store.create(step);
            stored.add(step);
        }

        // when
        List<Step> listed = store.listByRun(thread, run);

        // then
        assertThat(listed).containsExactlyElementsOf(stored.reversed());
    }

    @Test
    void a_call_waiting_for_approval_keeps_until_when_it_may_be_decided() {
        // given
        Step waiting = awaitingApproval();

        // when
        store.create(waiting);

        // then
        assertThat(store.listByRun(waiting.threadId(), waiting.runId())).containsExactly(waiting);
        assertThat(waiting.approval().decision()).isNull();
    }

    @Test
    void an_approved_call_keeps_the_decision_with_the_persons_arguments_and_the_models() {
        // given
        Step waiting = awaitingApproval();
        store.create(waiting);
        Instant decidedAt = T0.plusMillis(95_250);
        Step approved = waiting.approve(ApprovalDecision.approved(UserId.of("user-ada"), "only the api",
                "{\"name\":\"api\",\"grace\":30}", decidedAt), decidedAt).state();
        Step completed = approved.complete("restarted", decidedAt.plusMillis(800)).state();

        // when
        store.update(approved);
        List<Step> whileRunning = store.listByRun(waiting.threadId(), waiting.runId());
        store.update(completed);

        // then
        assertThat(whileRunning).containsExactly(approved);
        List<Step> stored = store.listByRun(waiting.threadId(), waiting.runId());
        assertThat(stored).containsExactly(completed);
        assertThat(stored.getFirst().effectiveArguments()).isEqualTo("{\"name\":\"api\",\"grace\":30}");
        assertThat(stored.getFirst().arguments()).isEqualTo("{\"name\":\"api\"}");
    }

    @Test
    void a_denied_call_keeps_the_decision_and_what_the_model_was_told() {
        // given
        Step waiting = awaitingApproval();
        store.create(waiting);
        Step denied = waiting.deny(ApprovalDecision.denied(UserId.of("user-ada"), "not during business hours",
                T0.plusSeconds(30)), T0.plusSeconds(30)).state();

        // when
        store.update(denied);

        // then
        assertThat(store.listByRun(waiting.threadId(), waiting.runId())).containsExactly(denied);
    }

    @Test
    void a_call_that_expired_keeps_that_nobody_decided_it() {
        // given
        Step waiting = awaitingApproval();
        store.create(waiting);
        Instant expiresAt = waiting.approval().expiresAt();
        Step expired = waiting.deny(ApprovalDecision.expired(Duration.ofSeconds(900), expiresAt), expiresAt).state();

        // when
        store.update(expired);

        // then
        List<Step> stored = store.listByRun(waiting.threadId(), waiting.runId());
        assertThat(stored).containsExactly(expired);
        assertThat(stored.getFirst().approval().decision().decidedBy()).isNull();
        assertThat(stored.getFirst().approval().decision().expired()).isTrue();
    }

    @Test
    void a_call_of_the_clients_own_tool_keeps_that_it_is_the_clients_and_then_the_output_the_client_gave() {
        // given
        Step waiting = Step.awaitClientResult(StepId.of(uniqueId("step")), aRunId(), aThreadId(), 1, 0, uniqueId("call"),
                "get_location", "{}", T0.plusSeconds(900), T0).state();
        store.create(waiting);
        List<Step> whileWaiting = store.listByRun(waiting.threadId(), waiting.runId());
        Instant answeredAt = T0.plusMillis(12_345);
        Step returned = waiting.clientReturned(ApprovalDecision.ranByClient(UserId.of("user-ada"), null,
                "{\"city\":\"Lisbon\"}", answeredAt), answeredAt).state();

        // when
        store.update(returned);

        // then
        assertThat(whileWaiting).containsExactly(waiting);
        assertThat(whileWaiting.getFirst().isClientSide()).isTrue();
        List<Step> stored = store.listByRun(waiting.threadId(), waiting.runId());
        assertThat(stored).containsExactly(returned);
        assertThat(stored.getFirst().output()).isEqualTo("{\"city\":\"Lisbon\"}");
        assertThat(stored.getFirst().approval().decision().output()).isEqualTo("{\"city\":\"Lisbon\"}");
    }

    @Test
    void a_call_of_the_clients_own_tool_the_client_declined_keeps_that_it_was_the_clients() {
        // given
        Step waiting = Step.awaitClientResult(StepId.of(uniqueId("step")), aRunId(), aThreadId(), 1, 0, uniqueId("call"),
                "get_location", "{}", T0.plusSeconds(900), T0).state();
        store.create(waiting);
        Step declined = waiting.deny(ApprovalDecision.denied(UserId.of("user-ada"), "no permission", T0.plusSeconds(4)),
                T0.plusSeconds(4)).state();

        // when
        store.update(declined);

        // then
        List<Step> stored = store.listByRun(waiting.threadId(), waiting.runId());
        assertThat(stored).containsExactly(declined);
        assertThat(stored.getFirst().isClientSide()).isTrue();
        assertThat(stored.getFirst().error()).startsWith("The client did not run this tool call: no permission.");
    }

    @Test
    void a_call_that_needed_no_approval_has_none() {
        // given
        Step step = aStep().build();

        // when
        store.create(step);

        // then
        assertThat(store.listByRun(step.threadId(), step.runId())).singleElement()
                .satisfies(stored -> assertThat(stored.approval()).isNull());
    }

    private static Step awaitingApproval() {
        return Step.awaitApproval(StepId.of(uniqueId("step")), aRunId(), aThreadId(), 2, 1, uniqueId("call"),
                "restart_service", "{\"name\":\"api\"}", T0.plusSeconds(900), T0).state();
    }
}
