package dev.agentchat.domain.run;

import static dev.agentchat.domain.Times.T0;
import static dev.agentchat.domain.Times.secondsAfterT0;
import static dev.agentchat.domain.run.TestRuns.aRun;
import static dev.agentchat.domain.run.TestRuns.moveTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.lifecycle.IllegalTransition;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunLifecycleTest {

    /** The legal moves, written out here as the specification says them, not read from RunStatus. */
    private static final Map<RunStatus, Set<RunStatus>> LEGAL = Map.of(
            RunStatus.QUEUED, EnumSet.of(RunStatus.IN_PROGRESS, RunStatus.FAILED, RunStatus.CANCELLED),
            RunStatus.IN_PROGRESS, EnumSet.of(RunStatus.CANCELLING, RunStatus.COMPLETED, RunStatus.FAILED,
                    RunStatus.CANCELLED, RunStatus.INCOMPLETE, RunStatus.REQUIRES_ACTION),
            RunStatus.REQUIRES_ACTION, EnumSet.of(RunStatus.IN_PROGRESS, RunStatus.CANCELLED, RunStatus.INCOMPLETE),
            RunStatus.CANCELLING, EnumSet.of(RunStatus.CANCELLED, RunStatus.FAILED));

    private static final Instant LATER = secondsAfterT0(30);

    @Test
    void a_queued_run_has_not_started_and_used_nothing() {
        // when
        Run run = aRun().queued();

        // then
        assertThat(run.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(run.startedAt()).isNull();
        assertThat(run.endedAt()).isNull();
        assertThat(run.usage()).isEqualTo(Usage.NONE);
        assertThat(run.createdAt()).isEqualTo(T0);
    }

    @Test
    void starting_a_queued_run_is_silent_and_records_the_start_time() {
        // given
        Run queued = aRun().queued();
        Instant now = secondsAfterT0(2);

        // when
        Transition<Run> started = queued.start(now);

        // then
        assertThat(started.events()).isEmpty();
        assertThat(started.state().status()).isEqualTo(RunStatus.IN_PROGRESS);
        assertThat(started.state().startedAt()).isEqualTo(now);
        assertThat(started.state().endedAt()).isNull();
    }

    @Test
    void completing_a_running_run_emits_one_done_with_the_answer_and_the_total_tokens() {
        // given
        Run running = aRun().withId("run-42").inThread("thread-7").running();
        MessageId answer = MessageId.of("msg-99");
        Usage usage = Usage.reported(1_000, 234);

        // when
        Transition<Run> completed = running.complete(answer, usage, LATER);

        // then
        assertThat(completed.events()).containsExactly(
                new ChatEvent.Done(RunId.of("run-42"), ThreadId.of("thread-7"), answer, 1_234, LATER));
        Run run = completed.state();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.answerMessageId()).isEqualTo(answer);
        assertThat(run.usage()).isEqualTo(usage);
        assertThat(run.failure()).isNull();
        assertThat(run.endedAt()).isEqualTo(LATER);
    }

    @Test
    void failing_a_running_run_emits_one_error_with_the_failure_code_and_message() {
        // given
        Run running = aRun().running();
        RunFailure failure = new RunFailure("model_error", "The model service answered 503.");
        MessageId partial = MessageId.of("msg-partial");

        // when
        Transition<Run> failed = running.fail(failure, partial, Usage.reported(10, 5), LATER);

        // then
        assertThat(failed.events()).containsExactly(
                new ChatEvent.Error("The model service answered 503.", "model_error", LATER));
        assertThat(failed.state().status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.state().failure()).isEqualTo(failure);
        assertThat(failed.state().answerMessageId()).isEqualTo(partial);
        assertThat(failed.state().endedAt()).isEqualTo(LATER);
    }

    @Test
    void a_queued_run_can_fail_before_it_ever_starts() {
        // given
        Run queued = aRun().queued();
        RunFailure failure = new RunFailure("agent_not_found", "No agent answers to that id.");

        // when
        Transition<Run> failed = queued.fail(failure, null, Usage.NONE, LATER);

        // then
        assertThat(failed.events()).containsExactly(
                new ChatEvent.Error("No agent answers to that id.", "agent_not_found", LATER));
        assertThat(failed.state().status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.state().startedAt()).isNull();
        assertThat(failed.state().answerMessageId()).isNull();
    }

    @Test
    void cancelling_a_running_run_keeps_the_partial_answer_and_emits_one_error_with_the_reason() {
        // given
        Run running = aRun().running();
        RunFailure reason = new RunFailure("cancelled", "The user stopped the run.");
        MessageId partial = MessageId.of("msg-partial");

        // when
        Transition<Run> cancelled = running.cancel(reason, partial, Usage.reported(50, 7), LATER);

        // then
        assertThat(cancelled.events()).containsExactly(
                new ChatEvent.Error("The user stopped the run.", "cancelled", LATER));
        assertThat(cancelled.state().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.state().failure()).isEqualTo(reason);
        assertThat(cancelled.state().answerMessageId()).isEqualTo(partial);
        assertThat(cancelled.state().usage()).isEqualTo(Usage.reported(50, 7));
    }

    @Test
    void a_queued_run_can_be_cancelled_before_it_starts() {
        // given
        Run queued = aRun().queued();

        // when
        Transition<Run> cancelled = queued.cancel(new RunFailure("cancelled", "Stopped."), null, Usage.NONE, LATER);

        // then
        assertThat(cancelled.state().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.state().startedAt()).isNull();
        assertThat(cancelled.events()).containsExactly(new ChatEvent.Error("Stopped.", "cancelled", LATER));
    }

    @Test
    void ending_a_running_run_incomplete_emits_one_error_with_the_reason_and_keeps_the_answer() {
        // given
        Run running = aRun().running();
        RunFailure reason = new RunFailure("max_output_tokens", "The answer reached the output token limit.");
        MessageId partial = MessageId.of("msg-cut");

        // when
        Transition<Run> incomplete = running.endIncomplete(reason, partial, Usage.reported(100, 4_096), LATER);

        // then
        assertThat(incomplete.events()).containsExactly(
                new ChatEvent.Error("The answer reached the output token limit.", "max_output_tokens", LATER));
        assertThat(incomplete.state().status()).isEqualTo(RunStatus.INCOMPLETE);
        assertThat(incomplete.state().failure()).isEqualTo(reason);
        assertThat(incomplete.state().answerMessageId()).isEqualTo(partial);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("legalMoves")
    void every_legal_move_of_the_table_reaches_its_target_status(RunStatus from, RunStatus to) {
        // given
        Run run = aRun().in(from);

        // when
        Transition<Run> moved = moveTo(run, to, LATER);

        // then
        assertThat(moved.state().status()).isEqualTo(to);
        assertThat(moved.state().id()).isEqualTo(run.id());
        assertThat(moved.state().createdAt()).isEqualTo(run.createdAt());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("legalMoves")
    void a_move_leaves_the_run_it_started_from_unchanged(RunStatus from, RunStatus to) {
        // given
        Run run = aRun().in(from);
        Run copy = aRun().in(from);

        // when
        moveTo(run, to, LATER);

        // then
        assertThat(run).isEqualTo(copy);
        assertThat(run.status()).isEqualTo(from);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("illegalMoves")
    void every_move_outside_the_table_is_refused_naming_both_statuses(RunStatus from, RunStatus to) {
        // given
        Run run = aRun().withId("run-9").in(from);

        // when / then
        assertThatThrownBy(() -> moveTo(run, to, LATER))
                .isInstanceOfSatisfying(IllegalTransition.class, e -> {
                    assertThat(e.from()).isEqualTo(from.name());
                    assertThat(e.to()).isEqualTo(to.name());
                    assertThat(e.subject()).contains("run-9");
                })
                .hasMessageContaining(from.name())
                .hasMessageContaining(to.name());
    }

    @Test
    void a_completed_run_cannot_fail_afterwards() {
        // given
        Run completed = aRun().in(RunStatus.COMPLETED);

        // when / then
        assertThatThrownBy(() -> completed.fail(TestRuns.MODEL_DOWN, null, Usage.NONE, LATER))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("run run-1 cannot go from COMPLETED to FAILED");
    }

    @Test
    void a_queued_run_cannot_complete_without_starting() {
        // given
        Run queued = aRun().queued();

        // when / then
        assertThatThrownBy(() -> queued.complete(TestRuns.ANSWER, TestRuns.USAGE, LATER))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("run run-1 cannot go from QUEUED to COMPLETED");
    }

    @Test
    void a_run_waiting_for_approval_cannot_be_started_again_only_decided() {
        // given
        Run waiting = aRun().in(RunStatus.REQUIRES_ACTION);

        // when / then
        assertThatThrownBy(() -> waiting.start(LATER))
                .isInstanceOf(IllegalTransition.class)
                .hasMessage("run run-1 cannot go from REQUIRES_ACTION to IN_PROGRESS");
    }

    @Test
    void a_run_waiting_for_approval_neither_completes_nor_fails_nor_is_asked_to_stop() {
        // given
        Run waiting = aRun().in(RunStatus.REQUIRES_ACTION);

        // when / then
        assertThatThrownBy(() -> waiting.complete(TestRuns.ANSWER, TestRuns.USAGE, LATER))
                .isInstanceOf(IllegalTransition.class);
        assertThatThrownBy(() -> waiting.fail(TestRuns.MODEL_DOWN, null, TestRuns.USAGE, LATER))
                .isInstanceOf(IllegalTransition.class);
        assertThatThrownBy(() -> waiting.requestCancel(LATER))
                .isInstanceOf(IllegalTransition.class);
        assertThatThrownBy(() -> waiting.abandon(null, LATER))
                .as("a waiting run is never abandoned, so it cannot end so")
                .isInstanceOf(IllegalTransition.class);
    }

    @Test
    void a_finished_run_lasted_from_its_start_to_its_end() {
        // given
        Run completed = aRun().startedAt(secondsAfterT0(1)).endedAt(T0.plusMillis(4_250)).in(RunStatus.COMPLETED);

        // when / then
        assertThat(completed.duration()).contains(Duration.ofMillis(3_250));
    }

    @Test
    void a_run_that_has_not_ended_has_no_duration() {
        assertThat(aRun().queued().duration()).isEmpty();
        assertThat(aRun().running().duration()).isEmpty();
    }

    @Test
    void a_run_cancelled_before_it_started_has_no_duration() {
        // given
        Run cancelled = moveTo(aRun().queued(), RunStatus.CANCELLED, LATER).state();

        // when / then
        assertThat(cancelled.endedAt()).isEqualTo(LATER);
        assertThat(cancelled.duration()).isEmpty();
    }

    @Test
    void a_cancel_request_keeps_the_run_open_until_it_has_stopped() {
        // given
        Run running = aRun().running();

        // when
        Transition<Run> asked = running.requestCancel(LATER);
        Transition<Run> stopped = asked.state().cancel(RunFailure.CANCELLED, null, TestRuns.USAGE, LATER.plusSeconds(1));

        // then
        assertThat(asked.state().status()).isEqualTo(RunStatus.CANCELLING);
        assertThat(asked.events()).isEmpty();
        assertThat(asked.state().endedAt()).isNull();
        assertThat(stopped.state().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(stopped.events()).singleElement().isInstanceOfSatisfying(ChatEvent.Error.class,
                error -> assertThat(error.code()).isEqualTo("cancelled"));
        assertThatThrownBy(() -> asked.state().complete(TestRuns.ANSWER, TestRuns.USAGE, LATER))
                .as("a run asked to stop does not complete after all")
                .isInstanceOf(IllegalTransition.class);
    }

    @Test
    void a_run_is_abandoned_only_when_unfinished_past_the_longest_run() {
        Run running = aRun().startedAt(T0).running();
        Duration longest = Duration.ofMinutes(10);

        assertThat(running.isAbandoned(T0.plus(longest), longest)).isFalse();
        assertThat(running.isAbandoned(T0.plus(longest).plusSeconds(1), longest)).isTrue();
        assertThat(moveTo(running, RunStatus.COMPLETED, LATER).state().isAbandoned(T0.plus(longest).plusSeconds(1),
                longest)).isFalse();
    }

    @Test
    void an_abandoned_run_fails_unless_it_was_being_cancelled() {
        Run running = aRun().running();

        Run failed = running.abandon(null, LATER).state();
        Run cancelled = running.requestCancel(LATER).state().abandon(TestRuns.ANSWER, LATER).state();

        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.failure()).isEqualTo(RunFailure.ABANDONED);
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(cancelled.answerMessageId()).isEqualTo(TestRuns.ANSWER);
    }

    @Test
    void an_ended_run_tells_how_it_ended_as_the_event_its_clients_got() {
        Run running = aRun().running();
        Run done = running.complete(TestRuns.ANSWER, TestRuns.USAGE, LATER).state();
        Run failed = running.fail(TestRuns.MODEL_DOWN, null, TestRuns.USAGE, LATER).state();

        assertThat(running.endEvent()).isEmpty();
        assertThat(done.endEvent()).contains(new ChatEvent.Done(done.id(), done.threadId(), TestRuns.ANSWER,
                TestRuns.USAGE.totalTokens(), LATER));
        assertThat(failed.endEvent()).contains(new ChatEvent.Error(TestRuns.MODEL_DOWN.message(),
                TestRuns.MODEL_DOWN.code(), LATER));
    }

    static Stream<Arguments> legalMoves() {
        return allMoves().filter(move -> isLegal(move)).map(move -> Arguments.of(move[0], move[1]));
    }

    static Stream<Arguments> illegalMoves() {
        return allMoves().filter(move -> !isLegal(move)).map(move -> Arguments.of(move[0], move[1]));
    }

    /** Every pair of statuses, except moves back to QUEUED, which no method offers. */
    private static Stream<RunStatus[]> allMoves() {
        return Arrays.stream(RunStatus.values()).flatMap(from -> Arrays.stream(RunStatus.values())
                .filter(to -> to != RunStatus.QUEUED)
                .map(to -> new RunStatus[] {from, to}));
    }

    private static boolean isLegal(RunStatus[] move) {
        return LEGAL.getOrDefault(move[0], Set.of()).contains(move[1]);
    }
}
