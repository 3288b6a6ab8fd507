package dev.agentchat.domain.run;

import static dev.agentchat.domain.Times.secondsAfterT0;
import static dev.agentchat.domain.run.TestRuns.aRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.agent.AgentId;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.approval.ApprovalRound;
import dev.agentchat.domain.approval.PendingCall;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.refusal.ApprovalConflict;
import dev.agentchat.domain.refusal.ApprovalExpired;
import dev.agentchat.domain.refusal.InvalidApprovals;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.message.MessageId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.ThreadScope;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalDecideTest {
    private static final StepId FIRST = StepId.of("step-first");
    private static final StepId SECOND = StepId.of("step-second");
    private static final UserId ADA = UserId.of("user-ada");
    private static final Instant PAUSED_AT = secondsAfterT0(61);
    private static final Duration TIMEOUT = Duration.ofSeconds(900);
    private static final Instant EXPIRES_AT = PAUSED_AT.plus(TIMEOUT);
    private static final Instant DECIDED_AT = PAUSED_AT.plusSeconds(120);
    private static final Usage USAGE_SO_FAR = Usage.reported(300, 40);

    @Test
    void a_decision_on_every_waiting_call_sets_the_run_working_again_from_then_with_the_decisions_recorded() {
        // given
        Run waiting = waitingForTwoCalls();
        Map<StepId, ApprovalDecision> decisions = Map.of(
                FIRST, ApprovalDecision.approved(ADA, null, "{\"expression\":\"6*8\"}", DECIDED_AT),
                SECOND, ApprovalDecision.denied(ADA, "not now", DECIDED_AT));

        // when
        ApprovalVerdict verdict = waiting.decide(decisions, DECIDED_AT);

        // then
        assertThat(verdict).isInstanceOfSatisfying(ApprovalVerdict.Accepted.class, accepted -> {
            Transition<Run> resumed = accepted.transition();
            assertThat(resumed.events()).isEmpty();
            Run run = resumed.state();
            assertThat(run.status()).isEqualTo(RunStatus.IN_PROGRESS);
            assertThat(run.resumedAt()).isEqualTo(DECIDED_AT);
            assertThat(run.workingSince()).isEqualTo(DECIDED_AT);
            assertThat(run.workedBefore()).isEqualTo(waiting.workedBefore());
            assertThat(run.usage()).isEqualTo(USAGE_SO_FAR);
            assertThat(run.revision()).isEqualTo(waiting.revision() + 1);
            assertThat(run.approvals().decisions()).isEqualTo(decisions);
            assertThat(run.approvals().pending()).isEqualTo(waiting.approvals().pending());
        });
    }

    @Test
    void the_same_decisions_sent_again_are_a_repeat_that_changes_nothing_even_once_the_run_ended() {
        // given
        Run resumed = accepted(waitingForTwoCalls().decide(approveBoth(DECIDED_AT), DECIDED_AT));
        Run completed = resumed.complete(TestRuns.ANSWER, TestRuns.USAGE, DECIDED_AT.plusSeconds(5)).state();
        Instant later = DECIDED_AT.plusSeconds(30);

        // when
        ApprovalVerdict again = resumed.decide(approveBoth(later), later);
        ApprovalVerdict afterTheEnd = completed.decide(approveBoth(later), later);

        // then
        assertThat(again).isEqualTo(new ApprovalVerdict.Repeated(resumed));
        assertThat(afterTheEnd).isEqualTo(new ApprovalVerdict.Repeated(completed));
    }

    @Test
    void other_decisions_after_the_fact_conflict() {
        // given
        Run resumed = accepted(waitingForTwoCalls().decide(approveBoth(DECIDED_AT), DECIDED_AT));
        Map<StepId, ApprovalDecision> otherwise = Map.of(
                FIRST, ApprovalDecision.approved(ADA, null, null, DECIDED_AT),
                SECOND, ApprovalDecision.denied(ADA, null, DECIDED_AT));

        // when / then
        assertThatThrownBy(() -> resumed.decide(otherwise, DECIDED_AT.plusSeconds(1)))
                .isInstanceOfSatisfying(ApprovalConflict.class, conflict ->
                        assertThat(conflict.run()).isEqualTo(resumed))
                .hasMessageContaining("in_progress")
                .hasMessageContaining("decided otherwise");
    }

    @Test
    void decisions_for_a_run_that_does_not_wait_conflict() {
        // given
        Run running = aRun().running();
        Run completed = aRun().in(RunStatus.COMPLETED);
        Map<StepId, ApprovalDecision> decisions = Map.of(FIRST, ApprovalDecision.approved(ADA, null, null, DECIDED_AT));

        // when / then
        assertThatThrownBy(() -> running.decide(decisions, DECIDED_AT))
                .isInstanceOf(ApprovalConflict.class)
                .hasMessageContaining("does not wait for approval");
        assertThatThrownBy(() -> completed.decide(decisions, DECIDED_AT))
                .isInstanceOf(ApprovalConflict.class)
                .hasMessageContaining("completed");
    }

    @Test
    void decisions_that_leave_a_call_out_or_name_another_are_refused_naming_both() {
        // given
        Run waiting = waitingForTwoCalls();
        StepId stranger = StepId.of("step-stranger");
        Map<StepId, ApprovalDecision> decisions = Map.of(
                FIRST, ApprovalDecision.approved(ADA, null, null, DECIDED_AT),
                stranger, ApprovalDecision.approved(ADA, null, null, DECIDED_AT));

        // when / then
        assertThatThrownBy(() -> waiting.decide(decisions, DECIDED_AT))
                .isInstanceOfSatisfying(InvalidApprovals.class, invalid -> {
                    assertThat(invalid.missing()).containsExactly(SECOND);
                    assertThat(invalid.unknown()).containsExactly(stranger);
                    assertThat(invalid.duplicated()).isEmpty();
                })
                .hasMessageContaining("step-second")
                .hasMessageContaining("step-stranger");
    }

    @Test
    void no_decisions_at_all_leave_every_waiting_call_missing() {
        assertThatThrownBy(() -> waitingForTwoCalls().decide(Map.of(), DECIDED_AT))
                .isInstanceOfSatisfying(InvalidApprovals.class, invalid ->
                        assertThat(invalid.missing()).containsExactly(FIRST, SECOND));
    }

    @Test
    void decisions_that_come_when_the_calls_expire_or_later_are_refused_as_expired() {
        // given
        Run waiting = waitingForTwoCalls();

        // when / then
        assertThatThrownBy(() -> waiting.decide(approveBoth(EXPIRES_AT), EXPIRES_AT))
                .isInstanceOfSatisfying(ApprovalExpired.class, expired -> assertThat(expired.run()).isEqualTo(waiting));
        assertThatThrownBy(() -> waiting.decide(approveBoth(EXPIRES_AT.plusSeconds(1)), EXPIRES_AT.plusSeconds(1)))
                .isInstanceOf(ApprovalExpired.class);
        assertThat(waiting.decide(approveBoth(EXPIRES_AT.minusMillis(1)), EXPIRES_AT.minusMillis(1)))
                .isInstanceOf(ApprovalVerdict.Accepted.class);
    }

    @Test
    void decisions_that_come_after_the_expiry_was_recorded_are_refused_as_expired_too() {
        // given
        Run expired = waitingForTwoCalls().expire(TIMEOUT, EXPIRES_AT).orElseThrow().state();

        // when / then
        assertThatThrownBy(() -> expired.decide(approveBoth(EXPIRES_AT.plusSeconds(5)), EXPIRES_AT.plusSeconds(5)))
                .isInstanceOf(ApprovalExpired.class);
    }

    @Test
    void waiting_calls_do_not_expire_before_their_time() {
        assertThat(waitingForTwoCalls().expire(TIMEOUT, EXPIRES_AT.minusMillis(1))).isEmpty();
    }

    @Test
    void calls_left_undecided_until_they_expire_count_as_denied_by_nobody_and_the_run_goes_on() {
        // given
        Run waiting = waitingForTwoCalls();
        Instant now = EXPIRES_AT.plusSeconds(30);

        // when
        Run resumed = waiting.expire(TIMEOUT, now).orElseThrow().state();

        // then
        assertThat(resumed.status()).isEqualTo(RunStatus.IN_PROGRESS);
        assertThat(resumed.resumedAt()).isEqualTo(now);
        assertThat(resumed.approvals().decisions()).containsOnlyKeys(FIRST, SECOND);
        assertThat(resumed.approvals().decisions().values()).allSatisfy(decision -> {
            assertThat(decision.expired()).isTrue();
            assertThat(decision.approved()).isFalse();
            assertThat(decision.decidedBy()).isNull();
            assertThat(decision.decidedAt()).isEqualTo(now);
            assertThat(decision.forModel()).isEqualTo("Nobody approved this tool call within 900 seconds, so it was not run.");
        });
    }

    @Test
    void a_run_that_does_not_wait_has_nothing_to_expire() {
        Run resumed = accepted(waitingForTwoCalls().decide(approveBoth(DECIDED_AT), DECIDED_AT));

        assertThat(aRun().running().expire(TIMEOUT, EXPIRES_AT.plusSeconds(1))).isEmpty();
        assertThat(resumed.expire(TIMEOUT, EXPIRES_AT.plusSeconds(1))).isEmpty();
    }

    @Test
    void the_clients_call_is_answered_with_what_its_tool_gave_beside_a_decision_on_the_other() {
        // given
        Run waiting = waitingForTheClientAndAPerson();
        Map<StepId, ApprovalDecision> answers = Map.of(
                FIRST, ApprovalDecision.ranByClient(ADA, null, "{\"city\":\"Lisbon\"}", DECIDED_AT),
                SECOND, ApprovalDecision.approved(ADA, null, null, DECIDED_AT));

        // when
        Run resumed = accepted(waiting.decide(answers, DECIDED_AT));

        // then
        assertThat(resumed.status()).isEqualTo(RunStatus.IN_PROGRESS);
        assertThat(resumed.approvals().decisions().get(FIRST).output()).isEqualTo("{\"city\":\"Lisbon\"}");
        assertThat(resumed.clientTools()).isEqualTo(waiting.clientTools());
        assertThat(resumed.decide(answers, DECIDED_AT.plusSeconds(1))).isEqualTo(new ApprovalVerdict.Repeated(resumed));
        assertThatThrownBy(() -> resumed.decide(Map.of(
                FIRST, ApprovalDecision.ranByClient(ADA, null, "{\"city\":\"Porto\"}", DECIDED_AT),
                SECOND, ApprovalDecision.approved(ADA, null, null, DECIDED_AT)), DECIDED_AT))
                .as("another output is another answer").isInstanceOf(ApprovalConflict.class);
    }

    @Test
    void the_clients_call_may_be_declined_as_a_call_may_be_denied() {
        // given
        Run waiting = waitingForTheClientAndAPerson();

        // when
        ApprovalVerdict verdict = waiting.decide(Map.of(FIRST, ApprovalDecision.denied(ADA, "no GPS", DECIDED_AT),
                SECOND, ApprovalDecision.denied(ADA, null, DECIDED_AT)), DECIDED_AT);

        // then
        assertThat(verdict).isInstanceOf(ApprovalVerdict.Accepted.class);
    }

    @Test
    void an_answer_of_the_wrong_kind_is_refused_naming_the_calls_it_answers_wrongly() {
        // given
        Run waiting = waitingForTheClientAndAPerson();

        // then: the client's call approved without what it gave, the person's call given an output
        assertThatThrownBy(() -> waiting.decide(Map.of(
                FIRST, ApprovalDecision.approved(ADA, null, null, DECIDED_AT),
                SECOND, ApprovalDecision.ranByClient(ADA, null, "done", DECIDED_AT)), DECIDED_AT))
                .isInstanceOfSatisfying(InvalidApprovals.class, invalid -> {
                    assertThat(invalid.mismatched()).containsExactly(FIRST, SECOND);
                    assertThat(invalid.missing()).isEmpty();
                    assertThat(invalid.getMessage()).contains("step-first, step-second");
                });
    }

    @Test
    void a_call_of_the_clients_tool_that_expires_tells_the_model_the_client_gave_no_result() {
        // given
        Run waiting = waitingForTheClientAndAPerson();

        // when
        Run expired = waiting.expire(TIMEOUT, EXPIRES_AT).orElseThrow().state();

        // then
        ApprovalDecision client = expired.approvals().decisions().get(FIRST);
        assertThat(client.expired()).isTrue();
        assertThat(client.forModel(true)).isEqualTo("The client gave no result for this tool call within 900 seconds.");
        assertThat(expired.approvals().decisions().get(SECOND).forModel())
                .isEqualTo("Nobody approved this tool call within 900 seconds, so it was not run.");
    }

    /** A run offered the client's get_location, waiting for a call of it and for approval of a restart. */
    private static Run waitingForTheClientAndAPerson() {
        ApprovalRound round = ApprovalRound.waiting(1, 5, EXPIRES_AT, "", List.of(
                new PendingCall(FIRST, 0, "call-a", "get_location", "{}", true),
                new PendingCall(SECOND, 1, "call-b", "restart_service", "{\"name\":\"api\"}")));
        Run running = Run.queue(RunId.of("run-client"), ThreadId.of("thread-client"),
                new ThreadScope(AgentId.of("ops-assistant"), ADA), 1, MessageId.of("msg-1"),
                List.of(new ToolDefinition("get_location", "Where the browser is.", "{\"type\":\"object\"}")),
                secondsAfterT0(0)).start(secondsAfterT0(1)).state();
        return running.awaitApproval(round, USAGE_SO_FAR, PAUSED_AT).state();
    }

    private static Run waitingForTwoCalls() {
        ApprovalRound round = ApprovalRound.waiting(2, 17, EXPIRES_AT, "Checking. ", List.of(
                new PendingCall(FIRST, 0, "call-a", "calculator", "{\"expression\":\"6*7\"}"),
                new PendingCall(SECOND, 2, "call-b", "restart_service", "{\"name\":\"api\"}")));
        return aRun().running().awaitApproval(round, USAGE_SO_FAR, PAUSED_AT).state();
    }

    private static Map<StepId, ApprovalDecision> approveBoth(Instant now) {
        return Map.of(FIRST, ApprovalDecision.approved(ADA, "fine", null, now),
                SECOND, ApprovalDecision.approved(ADA, null, null, now));
    }

    private static Run accepted(ApprovalVerdict verdict) {
        return ((ApprovalVerdict.Accepted) verdict).transition().state();
    }
}
