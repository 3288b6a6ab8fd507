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
    void a_high_surrogate_left_at_the_end_of_the_stream_becomes_the_replacement_character() {
        ModelStream.Played played = aModelStream().text("x\uD83D").finish(FinishReason.STOP).playedThrough();

        assertThat(played.events()).extracting(e -> ((ChatEvent.Token) e).content()).containsExactly("x", "\uFFFD");
        assertThat(played.action()).isInstanceOfSatisfying(RunOutcome.Complete.class,
                complete -> assertThat(complete.answer()).isEqualTo("x\uFFFD"));
    }

    @Test
    void unpaired_surrogates_inside_a_delta_become_the_replacement_character() {
        ModelStream.Played played = aModelStream().text("a\uDE00b\uD83Dc", "\uD83D\uDE00").finish(FinishReason.STOP).playedThrough();

        assertThat(played.events()).extracting(e -> ((ChatEvent.Token) e).content())
                .containsExactly("a\uFFFDb\uFFFDc", "\uD83D\uDE00");
    }

    @Test
    void a_partial_answer_shows_a_held_back_half_as_the_replacement_character() {
        ChatTurn turn = ChatTurn.begin().accept(new ModelStreamItem.TextDelta("y\uD83D"), ModelStream.instantOf(0)).turn();

        assertThat(turn.answerSoFar()).isEqualTo("y\uFFFD");
    }
}
