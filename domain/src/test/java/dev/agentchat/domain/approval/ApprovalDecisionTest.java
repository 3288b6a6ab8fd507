package dev.agentchat.domain.approval;

import static dev.agentchat.domain.Times.secondsAfterT0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.step.Step;
import dev.agentchat.domain.step.StepId;
import dev.agentchat.domain.thread.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApprovalDecisionTest {
    private static final UserId ADA = UserId.of("user-ada");
    private static final UserId BOB = UserId.of("user-bob");
    private static final Instant NOW = secondsAfterT0(100);
    private static final String ARGUMENTS = "{\"expression\":\"6*8\"}";

    @Test
    void a_decision_names_who_made_it_unless_nobody_did_in_time() {
        assertThatThrownBy(() -> new ApprovalDecision(true, null, null, null, NOW, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApprovalDecision(false, null, null, ADA, NOW, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ApprovalDecision.expired(Duration.ofSeconds(60), NOW).decidedBy()).isNull();
    }

    @Test
    void an_expired_or_denied_call_is_not_run_so_it_takes_no_arguments() {
        assertThatThrownBy(() -> new ApprovalDecision(true, null, null, null, NOW, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApprovalDecision(false, null, ARGUMENTS, ADA, NOW, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_reason_and_replacement_arguments_are_bounded() {
        assertThat(ApprovalDecision.denied(ADA, "x".repeat(ApprovalDecision.MAX_REASON_LENGTH), NOW).reason())
                .hasSize(ApprovalDecision.MAX_REASON_LENGTH);
        assertThatThrownBy(() -> ApprovalDecision.denied(ADA, "x".repeat(ApprovalDecision.MAX_REASON_LENGTH + 1), NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApprovalDecision.approved(ADA, null, "x".repeat(Step.MAX_PAYLOAD_LENGTH + 1), NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApprovalDecision.approved(ADA, null, " ", NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_same_choice_is_the_same_verdict_reason_and_arguments_whoever_made_it_and_when() {
        // given
        ApprovalDecision first = ApprovalDecision.approved(ADA, "ok", ARGUMENTS, NOW);

        // when / then
        assertThat(first.sameChoiceAs(ApprovalDecision.approved(BOB, "ok", ARGUMENTS, NOW.plusSeconds(60)))).isTrue();
        assertThat(first.sameChoiceAs(ApprovalDecision.approved(ADA, "ok", null, NOW))).isFalse();
        assertThat(first.sameChoiceAs(ApprovalDecision.approved(ADA, "fine", ARGUMENTS, NOW))).isFalse();
        assertThat(first.sameChoiceAs(ApprovalDecision.denied(ADA, "ok", NOW))).isFalse();
        assertThat(ApprovalDecision.denied(ADA, "Nobody approved this tool call within 60 seconds, so it was not run.", NOW)
                .sameChoiceAs(ApprovalDecision.expired(Duration.ofSeconds(60), NOW)))
                .as("a person's denial is not an expiry, whatever it says").isFalse();
    }

    @Test
    void what_the_clients_tool_gave_is_kept_bounded_as_tool_output_and_only_on_a_call_it_ran() {
        // when
        ApprovalDecision ran = ApprovalDecision.ranByClient(ADA, null, "x".repeat(Step.MAX_PAYLOAD_LENGTH + 10), NOW);

        // then
        assertThat(ran.approved()).isTrue();
        assertThat(ran.output()).hasSize(Step.MAX_PAYLOAD_LENGTH).endsWith("[cut at " + Step.MAX_PAYLOAD_LENGTH
                + " characters]");
        assertThatThrownBy(() -> new ApprovalDecision(false, null, null, ADA, NOW, false, "{}"))
                .as("a declined call gave nothing").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApprovalDecision(true, null, ARGUMENTS, ADA, NOW, false, "{}"))
                .as("the client ran the model's arguments").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_same_answer_of_the_client_is_the_same_output() {
        // given
        ApprovalDecision first = ApprovalDecision.ranByClient(ADA, null, "{\"city\":\"Lisbon\"}", NOW);

        // when / then
        assertThat(first.sameChoiceAs(ApprovalDecision.ranByClient(ADA, null, "{\"city\":\"Lisbon\"}",
                NOW.plusSeconds(5)))).isTrue();
        assertThat(first.sameChoiceAs(ApprovalDecision.ranByClient(ADA, null, "{\"city\":\"Porto\"}", NOW))).isFalse();
        assertThat(first.sameChoiceAs(ApprovalDecision.approved(ADA, null, null, NOW))).isFalse();
    }

    @Test
    void the_model_is_told_the_client_did_not_run_a_call_it_declined_or_left_unanswered() {
        assertThat(ApprovalDecision.denied(ADA, "no GPS", NOW).forModel(true))
                .isEqualTo("The client did not run this tool call: no GPS. Do not call it again unless asked.");
        assertThat(ApprovalDecision.unanswered(Duration.ofMinutes(15), NOW).forModel(true))
                .isEqualTo("The client gave no result for this tool call within 900 seconds.");
        assertThat(ApprovalDecision.unanswered(Duration.ofMinutes(15), NOW).expired()).isTrue();
    }

    @Test
    void the_person_arguments_replace_the_models_only_when_given() {
        assertThat(ApprovalDecision.approved(ADA, null, ARGUMENTS, NOW).argumentsOr("{}")).isEqualTo(ARGUMENTS);
        assertThat(ApprovalDecision.approved(ADA, null, null, NOW).argumentsOr("{}")).isEqualTo("{}");
    }

    @Test
    void the_model_is_told_of_a_denial_with_the_reason_if_there_is_one() {
        assertThat(ApprovalDecision.denied(ADA, "not on prod", NOW).forModel())
                .isEqualTo("The user denied this tool call: not on prod. Do not call it again unless asked.");
        assertThat(ApprovalDecision.denied(ADA, " ", NOW).forModel())
                .isEqualTo("The user denied this tool call. Do not call it again unless asked.");
        assertThat(ApprovalDecision.expired(Duration.ofMinutes(15), NOW).forModel())
                .isEqualTo("Nobody approved this tool call within 900 seconds, so it was not run.");
    }

    @Test
    void a_round_is_decided_once_every_waiting_call_has_a_decision_and_only_those() {
        // given
        PendingCall first = new PendingCall(StepId.of("step-1"), 0, "call-1", "calculator", "{}");
        PendingCall second = new PendingCall(StepId.of("step-2"), 1, "call-2", "calculator", "{}");
        ApprovalRound round = ApprovalRound.waiting(1, 3, NOW, "", List.of(first, second));
        ApprovalDecision approved = ApprovalDecision.approved(ADA, null, null, NOW);

        // when / then
        assertThat(round.isDecided()).isFalse();
        assertThat(round.decidedAs(Map.of(first.stepId(), approved)).isDecided()).isFalse();
        assertThat(round.decidedAs(Map.of(first.stepId(), approved, second.stepId(), approved)).isDecided()).isTrue();
        assertThatThrownBy(() -> round.decidedAs(Map.of(StepId.of("step-9"), approved)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApprovalRound.waiting(1, 3, NOW, "", List.of()))
                .as("a pause waits for at least one call").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApprovalRound.waiting(1, 3, NOW, "", List.of(first, first)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
