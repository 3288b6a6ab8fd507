package dev.agentchat.domain.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerTextTest {

    @Test
    void appending_pieces_joins_them_and_counts_their_characters() {
        // when
        AnswerText text = AnswerText.EMPTY.append("ab").append("😀").append("c");

        // then
        assertThat(text.toString()).isEqualTo("ab😀c");
        assertThat(text.length()).isEqualTo(5);
    }

    @Test
    void appending_nothing_returns_the_same_text() {
        // given
        AnswerText text = AnswerText.EMPTY.append("ab");

        // when / then
        assertThat(text.append("")).isSameAs(text);
    }

    @Test
    void appending_to_a_text_leaves_it_and_its_other_continuations_unchanged() {
        // given
        AnswerText base = AnswerText.EMPTY.append("base-");

        // when
        AnswerText left = base.append("left");
        AnswerText right = base.append("right");

        // then
        assertThat(base).hasToString("base-");
        assertThat(left).hasToString("base-left");
        assertThat(right).hasToString("base-right");
    }
}
