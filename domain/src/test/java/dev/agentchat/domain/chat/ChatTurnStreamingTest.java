package dev.agentchat.domain.chat;

import static dev.agentchat.domain.Times.millisAfterT0;
import static dev.agentchat.domain.chat.ModelStream.aModelStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.domain.usage.Usage;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a chat turn follows the model's stream: tokens, the answer so far, usage, immutability. */
class ChatTurnStreamingTest {

    @Test
    void a_new_turn_has_no_answer_and_no_usage() {
        // when
        ChatTurn turn = ChatTurn.begin();

        // then
        assertThat(turn.answerSoFar()).isEmpty();
        assertThat(turn.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void a_text_delta_emits_exactly_one_token_with_its_content_and_the_given_time() {
        // given
        ChatTurn turn = ChatTurn.begin();
        Instant now = millisAfterT0(42);

        // when
        TurnStep step = turn.accept(new ModelStreamItem.TextDelta("Hello"), now);

        // then
        assertThat(step.events()).containsExactly(new ChatEvent.Token("Hello", now));
        assertThat(step.action()).isInstanceOf(StreamStep.KeepStreaming.class);
        assertThat(step.turn().answerSoFar()).isEqualTo("Hello");
    }

    @Test
    void an_empty_text_delta_emits_nothing_and_changes_nothing() {
        // given
        ChatTurn turn = ChatTurn.begin().accept(new ModelStreamItem.TextDelta("Hi"), millisAfterT0(1)).turn();

        // when
        TurnStep step = turn.accept(new ModelStreamItem.TextDelta(""), millisAfterT0(2));

        // then
        assertThat(step.events()).isEmpty();
        assertThat(step.action()).isInstanceOf(StreamStep.KeepStreaming.class);
        assertThat(step.turn().answerSoFar()).isEqualTo("Hi");
    }

    @Test
    void a_stream_emits_one_token_per_non_empty_delta_in_order() {
        // when
        ModelStream.Played played = aModelStream().text("The ", "", "sky ", "is", "", " blue.")
                .finish(FinishReason.STOP).playedThrough();

        // then
        assertThat(played.events()).containsExactly(
                new ChatEvent.Token("The ", ModelStream.instantOf(0)),
                new ChatEvent.Token("sky ", ModelStream.instantOf(2)),
                new ChatEvent.Token("is", ModelStream.instantOf(3)),
                new ChatEvent.Token(" blue.", ModelStream.instantOf(5)));
        assertThat(played.turn().answerSoFar()).isEqualTo("The sky is blue.");
    }

    @Test
    void tool_calls_usage_and_finish_items_emit_no_events() {
        // when
        ModelStream.Played played = aModelStream().toolCall("call_1", "search", "{}").usage(10, 2)
                .finish(FinishReason.TOOL_CALLS).playedThrough();

        // then
        assertThat(played.events()).isEmpty();
    }

    @Test
    void ten_thousand_deltas_add_up_to_the_whole_answer() {
        // given
        List<String> pieces = IntStream.range(0, 10_000).mapToObj(i -> "w" + i + " ").toList();
        String expected = String.join("", pieces);

        // when
        ModelStream.Played played = aModelStream().text(pieces.toArray(String[]::new))
                .finish(FinishReason.STOP).playedThrough();

        // then
        assertThat(played.events()).hasSize(10_000);
        assertThat(played.events().get(9_999)).isEqualTo(new ChatEvent.Token("w9999 ", ModelStream.instantOf(9_999)));
        assertThat(played.turn().answerSoFar()).isEqualTo(expected);
        assertThat(played.action()).isEqualTo(new RunOutcome.Complete(expected, Usage.NONE));
    }

    @Test
    void a_surrogate_pair_split_across_deltas_arrives_whole_in_one_token() {
        // given "😀" is the pair \uD83D\uDE00; a service may split it between two deltas
        ModelStream stream = aModelStream().text("Grüße ", "aus ", "東京 ", "\uD83D", "\uDE00", " ok");

        // when
        ModelStream.Played played = stream.finish(FinishReason.STOP).playedThrough();

        // then
        assertThat(played.turn().answerSoFar()).isEqualTo("Grüße aus 東京 😀 ok");
        assertThat(played.turn().answerSoFar().codePointCount(0, played.turn().answerSoFar().length()))
                .isEqualTo(17);
        assertThat(played.events()).extracting(e -> ((ChatEvent.Token) e).content())
                .containsExactly("Grüße ", "aus ", "東京 ", "😀", " ok");
    }

    @Test
    void a_later_usage_report_replaces_an_earlier_one() {
        // given
        ChatTurn turn = ChatTurn.begin()
                .accept(new ModelStreamItem.UsageReport(Usage.reported(10, 1)), millisAfterT0(1)).turn();

        // when
        ChatTurn later = turn.accept(new ModelStreamItem.UsageReport(Usage.reported(10, 25)), millisAfterT0(2)).turn();

        // then
        assertThat(later.usage()).isEqualTo(Usage.reported(10, 25));
    }

    @Test
    void feeding_an_old_state_does_not_change_what_a_later_state_holds() {
        // given
        ChatTurn first = ChatTurn.begin().accept(new ModelStreamItem.TextDelta("a"), millisAfterT0(1)).turn();
        ChatTurn second = first.accept(new ModelStreamItem.TextDelta("b"), millisAfterT0(2)).turn();

        // when the old state is fed other items
        ChatTurn branch = first.accept(new ModelStreamItem.TextDelta("X"), millisAfterT0(3)).turn()
                .accept(new ModelStreamItem.ToolCallRequest("call_9", "other", "{}"), millisAfterT0(4)).turn()
                .accept(new ModelStreamItem.UsageReport(Usage.reported(99, 99)), millisAfterT0(5)).turn();

        // then neither the old nor the later state sees them
        assertThat(first.answerSoFar()).isEqualTo("a");
        assertThat(second.answerSoFar()).isEqualTo("ab");
        assertThat(second.usage()).isEqualTo(Usage.NONE);
        assertThat(branch.answerSoFar()).isEqualTo("aX");
        TurnEnd secondEnds = second.accept(new ModelStreamItem.Finish(FinishReason.STOP), millisAfterT0(6)).turn()
                .endOfStream(millisAfterT0(7));
        assertThat(secondEnds.outcome()).isEqualTo(new RunOutcome.Complete("ab", Usage.NONE));
    }

    @Test
    void a_tool_call_fed_to_an_old_state_is_not_called_by_a_later_one() {
        // given
        ChatTurn base = ChatTurn.begin()
                .accept(new ModelStreamItem.ToolCallRequest("call_1", "search", "{}"), millisAfterT0(1)).turn();
        ChatTurn later = base.accept(new ModelStreamItem.Finish(FinishReason.TOOL_CALLS), millisAfterT0(2)).turn();

        // when
        base.accept(new ModelStreamItem.ToolCallRequest("call_2", "delete_everything", "{}"), millisAfterT0(3));

        // then
        ModelCallOutcome action = later.endOfStream(millisAfterT0(4)).outcome();
        assertThat(action).isInstanceOfSatisfying(ModelCallOutcome.CallTools.class, call ->
                assertThat(call.calls()).extracting(ModelStreamItem.ToolCallRequest::callId).containsExactly("call_1"));
    }

    @Test
    void a_turn_refuses_a_missing_item_or_time() {
        ChatTurn turn = ChatTurn.begin();

        assertThatThrownBy(() -> turn.accept(null, millisAfterT0(1))).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> turn.accept(new ModelStreamItem.TextDelta("x"), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> turn.endOfStream(null)).isInstanceOf(NullPointerException.class);
    }
}
