package dev.agentchat.domain.step;

import static dev.agentchat.domain.Times.secondsAfterT0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.approval.Approval;
import dev.agentchat.domain.approval.ApprovalDecision;
import dev.agentchat.domain.chat.ChatEvent;
import dev.agentchat.domain.lifecycle.IllegalTransition;
import dev.agentchat.domain.lifecycle.Transition;
import dev.agentchat.domain.run.RunId;
import dev.agentchat.domain.thread.ThreadId;
import dev.agentchat.domain.thread.UserId;
import dev.agentchat.domain.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class StepApprovalTest {
    private static final StepId ID = StepId.of("step-3");
    private static final String MODEL_ARGUMENTS = "{\"expression\":\"6*7\"}";
    private static final Instant ASKED_AT = secondsAfterT0(10);
    private static final Instant EXPIRES_AT = ASKED_AT.plusSeconds(900);
    private static final Instant DECIDED_AT = ASKED_AT.plusSeconds(95);
    private static final UserId ADA = UserId.of("user-ada");

    @Test
    void a_call_that_needs_approval_waits_and_tells_its_tool_arguments_and_expiry() {
        // when
        Transition<Step> asked = awaiting();

        // then
        assertThat(asked.events()).containsExactly(
                new ChatEvent.ApprovalRequired(ID, "calculator", MODEL_ARGUMENTS, EXPIRES_AT, ASKED_AT));
        Step step = asked.state();
        assertThat(step.status()).isEqualTo(StepStatus.AWAITING_APPROVAL);
        assertThat(step.kind()).isEqualTo(StepKind.TOOL_CALL);
        assertThat(step.round()).isEqualTo(2);
        assertThat(step.position()).isEqualTo(1);
        assertThat(step.approval()).isEqualTo(new Approval(EXPIRES_AT, null));
        assertThat(step.endedAt()).isNull();
    }

    @Test
    void an_approved_call_runs_from_the_approval_so_its_latency_is_the_tools_own_time() {
        // given
        Step waiting = awaiting().state();
        ApprovalDecision approved = ApprovalDecision.approved(ADA, null, null, DECIDED_AT);

        // when
        Transition<Step> running = waiting.approve(approved, DECIDED_AT);
        Step completed = running.state().complete("42", DECIDED_AT.plusMillis(30)).state();

        // then
        assertThat(running.events()).containsExactly(new ChatEvent.TraceStart(ID, "calculator", MODEL_ARGUMENTS, DECIDED_AT));
        assertThat(running.state().status()).isEqualTo(StepStatus.IN_PROGRESS);
        assertThat(running.state().startedAt()).isEqualTo(DECIDED_AT);
        assertThat(running.state().approval()).isEqualTo(new Approval(EXPIRES_AT, approved));
        assertThat(completed.latency()).isEqualTo(Duration.ofMillis(30));
        assertThat(completed.approval().decision()).as("the decision stays on the ended step").isEqualTo(approved);
    }

    @Test
    void an_approved_call_with_the_persons_arguments_runs_with_them_and_keeps_the_models() {
        // given
        String edited = "{\"expression\":\"6*8\"}";
        ApprovalDecision approved = ApprovalDecision.approved(ADA, "use 8", edited, DECIDED_AT);

        // when
        Transition<Step> running = awaiting().state().approve(approved, DECIDED_AT);

        // then
        assertThat(running.events()).containsExactly(new ChatEvent.TraceStart(ID, "calculator", edited, DECIDED_AT));
        assertThat(running.state().effectiveArguments()).isEqualTo(edited);
        assertThat(running.state().arguments()).isEqualTo(MODEL_ARGUMENTS);
    }

    @Test
    void a_call_without_a_decision_runs_with_the_models_arguments() {
        assertThat(awaiting().state().effectiveArguments()).isEqualTo(MODEL_ARGUMENTS);
    }

    @Test
    void a_denied_call_is_not_run_and_the_model_is_told_the_reason() {
        // given
        ApprovalDecision denied = ApprovalDecision.denied(ADA, "too risky", DECIDED_AT);

        // when
        Transition<Step> ended = awaiting().state().deny(denied, DECIDED_AT);

        // then
        String told = "The user denied this tool call: too risky. Do not call it again unless asked.";
        assertThat(ended.events()).containsExactly(new ChatEvent.TraceEnd(ID, "denied", null, told, 0, DECIDED_AT));
        Step step = ended.state();
        assertThat(step.status()).isEqualTo(StepStatus.DENIED);
        assertThat(step.error()).isEqualTo(told);
        assertThat(step.output()).isNull();
        assertThat(step.resultForModel()).isEqualTo("Error: " + told);
        assertThat(step.latency()).as("the stored step says what its event said").isZero();
        assertThat(step.approval()).isEqualTo(new Approval(EXPIRES_AT, denied));
    }

    @Test
    void a_call_denied_without_a_reason_tells_the_model_only_that() {
        Step step = awaiting().state().deny(ApprovalDecision.denied(ADA, null, DECIDED_AT), DECIDED_AT).state();

        assertThat(step.resultForModel()).isEqualTo("Error: The user denied this tool call. Do not call it again unless asked.");
    }

    @Test
    void a_call_that_expired_is_denied_and_the_model_is_told_nobody_approved_it_in_time() {
        // given
        ApprovalDecision expired = ApprovalDecision.expired(Duration.ofSeconds(900), EXPIRES_AT);

        // when
        Step step = awaiting().state().deny(expired, EXPIRES_AT).state();

        // then
        assertThat(step.status()).isEqualTo(StepStatus.DENIED);
        assertThat(step.resultForModel())
                .isEqualTo("Error: Nobody approved this tool call within 900 seconds, so it was not run.");
        assertThat(step.approval().decision().expired()).isTrue();
    }

    @Test
    void a_waiting_call_cancelled_with_its_run_never_ran_so_it_took_no_time() {
        // when
        Transition<Step> cancelled = awaiting().state().cancel("The run was cancelled.", DECIDED_AT);

        // then
        assertThat(cancelled.state().status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(cancelled.events()).containsExactly(
                new ChatEvent.TraceEnd(ID, "cancelled", null, "The run was cancelled.", 0, DECIDED_AT));
        assertThat(cancelled.state().approval()).isEqualTo(new Approval(EXPIRES_AT, null));
    }

    @Test
    void a_decision_must_fit_the_move_and_only_a_waiting_call_is_decided() {
        // given
        Step waiting = awaiting().state();
        ApprovalDecision approved = ApprovalDecision.approved(ADA, null, null, DECIDED_AT);
        ApprovalDecision denied = ApprovalDecision.denied(ADA, null, DECIDED_AT);
        Step running = waiting.approve(approved, DECIDED_AT).state();

        // when / then
        assertThatThrownBy(() -> waiting.approve(denied, DECIDED_AT)).isInstanceOf(IllegalTransition.class);
        assertThatThrownBy(() -> waiting.deny(approved, DECIDED_AT)).isInstanceOf(IllegalTransition.class);
        assertThatThrownBy(() -> running.approve(approved, DECIDED_AT)).isInstanceOf(IllegalTransition.class)
                .hasMessageContaining("IN_PROGRESS");
        assertThatThrownBy(() -> running.deny(denied, DECIDED_AT)).isInstanceOf(IllegalTransition.class)
                .hasMessageContaining("DENIED");
        assertThatThrownBy(() -> waiting.report("half way", DECIDED_AT)).as("a call that does not run reports nothing")
                .isInstanceOf(IllegalTransition.class);
    }

    @Test
    void a_waiting_or_denied_step_without_its_approval_cannot_exist() {
        assertThatThrownBy(() -> new Step(ID, RunId.of("run-1"), ThreadId.of("thread-1"), StepKind.TOOL_CALL, 1, 0,
                "call-1", "calculator", MODEL_ARGUMENTS, StepStatus.AWAITING_APPROVAL, null, null,
                Usage.NONE, ASKED_AT, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_waiting_step_has_no_decision_yet_and_a_denied_one_has_its_denial() {
        Approval undecided = new Approval(EXPIRES_AT, null);
        Approval approved = undecided.decided(ApprovalDecision.approved(ADA, null, null, DECIDED_AT));

        assertThatThrownBy(() -> new Step(ID, RunId.of("run-1"), ThreadId.of("thread-1"), StepKind.TOOL_CALL, 1, 0,
                "call-1", "calculator", MODEL_ARGUMENTS, StepStatus.AWAITING_APPROVAL, null, null, Usage.NONE, ASKED_AT,
                null, approved)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Step(ID, RunId.of("run-1"), ThreadId.of("thread-1"), StepKind.TOOL_CALL, 1, 0,
                "call-1", "calculator", MODEL_ARGUMENTS, StepStatus.DENIED, null, "no", Usage.NONE, ASKED_AT,
                DECIDED_AT, undecided)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Step(ID, RunId.of("run-1"), ThreadId.of("thread-1"), StepKind.TOOL_CALL, 1, 0,
                "call-1", "calculator", MODEL_ARGUMENTS, StepStatus.DENIED, null, "no", Usage.NONE, ASKED_AT,
                DECIDED_AT, approved)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_waiting_call_goes_on_is_denied_is_completed_by_the_client_or_ends_with_its_run_and_a_denied_call_is_final() {
        assertThat(EnumSet.allOf(StepStatus.class)).filteredOn(StepStatus.AWAITING_APPROVAL::canMoveTo)
                .containsExactlyInAnyOrder(StepStatus.IN_PROGRESS, StepStatus.COMPLETED, StepStatus.DENIED,
                        StepStatus.CANCELLED, StepStatus.FAILED);
        assertThat(EnumSet.allOf(StepStatus.class)).filteredOn(status -> status.canMoveTo(StepStatus.AWAITING_APPROVAL))
                .as("a call waits only from its creation").isEmpty();
        assertThat(EnumSet.allOf(StepStatus.class)).filteredOn(status -> status.canMoveTo(StepStatus.DENIED))
                .containsExactly(StepStatus.AWAITING_APPROVAL);
        assertThat(StepStatus.DENIED.isTerminal()).isTrue();
        assertThat(StepStatus.AWAITING_APPROVAL.isTerminal()).isFalse();
        assertThat(StepStatus.AWAITING_APPROVAL.wireName()).isEqualTo("awaiting_approval");
        assertThat(StepStatus.DENIED.wireName()).isEqualTo("denied");
    }

    @Test
    void a_call_of_the_clients_own_tool_begins_at_once_and_waits_for_the_clients_result() {
        // when
        Transition<Step> asked = awaitingTheClient();

        // then
        assertThat(asked.events()).containsExactly(new ChatEvent.TraceStart(ID, "get_location", "{}", ASKED_AT),
                new ChatEvent.ApprovalRequired(ID, "get_location", "{}", EXPIRES_AT, ASKED_AT, true));
        Step step = asked.state();
        assertThat(step.status()).isEqualTo(StepStatus.AWAITING_APPROVAL);
        assertThat(step.isClientSide()).isTrue();
        assertThat(step.approval()).isEqualTo(new Approval(EXPIRES_AT, null, true));
        assertThat(awaiting().state().isClientSide()).isFalse();
    }

    @Test
    void the_clients_result_completes_its_call_with_the_output_after_the_time_it_waited() {
        // given
        ApprovalDecision ran = ApprovalDecision.ranByClient(ADA, null, "{\"city\":\"Lisbon\"}", DECIDED_AT);

        // when
        Transition<Step> returned = awaitingTheClient().state().clientReturned(ran, DECIDED_AT);

        // then
        assertThat(returned.events()).containsExactly(new ChatEvent.TraceEnd(ID, "completed", "{\"city\":\"Lisbon\"}",
                null, 95_000, DECIDED_AT));
        Step completed = returned.state();
        assertThat(completed.status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(completed.output()).isEqualTo("{\"city\":\"Lisbon\"}");
        assertThat(completed.resultForModel()).isEqualTo("{\"city\":\"Lisbon\"}");
        assertThat(completed.approval()).isEqualTo(new Approval(EXPIRES_AT, ran, true));
    }

    @Test
    void a_call_of_the_clients_tool_is_never_run_here_and_a_call_that_waits_for_approval_takes_no_client_result() {
        ApprovalDecision approved = ApprovalDecision.approved(ADA, null, null, DECIDED_AT);
        ApprovalDecision ran = ApprovalDecision.ranByClient(ADA, null, "{}", DECIDED_AT);

        assertThatThrownBy(() -> awaitingTheClient().state().approve(approved, DECIDED_AT))
                .isInstanceOf(IllegalTransition.class);
        assertThatThrownBy(() -> awaitingTheClient().state().clientReturned(approved, DECIDED_AT))
                .isInstanceOf(IllegalTransition.class);
        assertThatThrownBy(() -> awaiting().state().clientReturned(ran, DECIDED_AT))
                .isInstanceOf(IllegalTransition.class);
    }

    @Test
    void a_waiting_call_completes_with_its_clients_result_alone_never_as_if_its_tool_had_returned() {
        assertThatThrownBy(() -> awaiting().state().toolReturned("84", DECIDED_AT)).isInstanceOf(IllegalTransition.class);
        assertThatThrownBy(() -> awaitingTheClient().state().complete("Lisbon", DECIDED_AT))
                .isInstanceOf(IllegalTransition.class);
    }

    @Test
    void a_declined_call_of_the_clients_tool_tells_the_model_the_client_did_not_run_it() {
        // when
        Transition<Step> declined = awaitingTheClient().state().deny(ApprovalDecision.denied(ADA, "no GPS", DECIDED_AT),
                DECIDED_AT);

        // then
        assertThat(declined.state().status()).isEqualTo(StepStatus.DENIED);
        assertThat(declined.state().resultForModel())
                .isEqualTo("Error: The client did not run this tool call: no GPS. Do not call it again unless asked.");
        assertThat(declined.events()).singleElement().isInstanceOf(ChatEvent.TraceEnd.class);
    }

    private static Transition<Step> awaitingTheClient() {
        return Step.awaitClientResult(ID, RunId.of("run-1"), ThreadId.of("thread-1"), 1, 0, "call-9", "get_location",
                "{}", EXPIRES_AT, ASKED_AT);
    }

    private static Transition<Step> awaiting() {
        return Step.awaitApproval(ID, RunId.of("run-1"), ThreadId.of("thread-1"), 2, 1, "call-9", "calculator",
                MODEL_ARGUMENTS, EXPIRES_AT, ASKED_AT);
    }
}
