package dev.agentchat.domain.chat;

import static dev.agentchat.domain.chat.ModelStream.aModelStream;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SurrogateHoldBackTest {

    @Test
    void a_lone_high_surrogate_is_held_until_its_pair_arrives_in_a_later_delta() {
        ModelStream.Played played = aModelStream().text("a\uD83D", "", "\uDE00b").finish(FinishReason.STOP).playedThrough();

        assertThat(played.events()).extracting(e -> ((ChatEvent.Token) e).content()).containsExactly("a", "😀b");
        assertThat(played.turn().answerSoFar()).isEqualTo("a😀b");
    }

    @Test
    void a_high_surrogate_left_at_the_end_of_the_stream_is_still_sent_and_kept() {
        ModelStream.Played played = aModelStream().text("x\uD83D").finish(FinishReason.STOP).playedThrough();

        assertThat(played.events()).extracting(e -> ((ChatEvent.Token) e).content()).containsExactly("x", "\uD83D");
        assertThat(played.action()).isInstanceOfSatisfying(NextAction.Complete.class,
                complete -> assertThat(complete.answer()).isEqualTo("x\uD83D"));
    }

    @Test
    void the_partial_answer_includes_a_held_back_half() {
        ChatTurn turn = ChatTurn.begin().accept(new ModelStreamItem.TextDelta("y\uD83D"), ModelStream.instantOf(0)).turn();

        assertThat(turn.answerSoFar()).isEqualTo("y\uD83D");
    }
}
