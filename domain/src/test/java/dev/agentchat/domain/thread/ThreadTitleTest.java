package dev.agentchat.domain.thread;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ThreadTitleTest {
    private static final String ELLIPSIS = "\u2026";

    @Test
    void a_short_message_is_the_title() {
        assertThat(ThreadTitle.fromFirstMessage("What is the weather in Oslo?")).isEqualTo("What is the weather in Oslo?");
    }

    @Test
    void whitespace_and_newlines_collapse_into_single_spaces_on_one_line() {
        // given
        String message = "  Plan\n\nmy \t trip\r\nto   Rome  \n";

        // when
        String title = ThreadTitle.fromFirstMessage(message);

        // then
        assertThat(title).isEqualTo("Plan my trip to Rome");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\n\t\r\n  "})
    void a_blank_message_gives_the_untitled_title(String blank) {
        assertThat(ThreadTitle.fromFirstMessage(blank)).isEqualTo("New conversation").isEqualTo(ThreadTitle.UNTITLED);
    }

    @Test
    void a_message_of_exactly_the_maximum_length_is_kept_whole() {
        // given
        String message = "x".repeat(ThreadTitle.MAX_LENGTH);

        // when / then
        assertThat(ThreadTitle.fromFirstMessage(message)).isEqualTo(message);
    }

    @Test
    void a_long_message_is_cut_at_a_word_boundary_with_an_ellipsis() {
        // given
        String message = "Could you help me compare the pension schemes of Norway, Sweden and Denmark for a freelancer?";

        // when
        String title = ThreadTitle.fromFirstMessage(message);

        // then
        assertThat(title).isEqualTo("Could you help me compare the pension schemes of Norway," + ELLIPSIS);
        assertThat(title.length()).isLessThanOrEqualTo(ThreadTitle.MAX_LENGTH);
    }

    @Test
    void a_long_message_keeps_only_whole_words() {
        // given
        String message = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho";

        // when
        String title = ThreadTitle.fromFirstMessage(message);

        // then
        String kept = title.substring(0, title.length() - ELLIPSIS.length());
        assertThat(title).endsWith(ELLIPSIS).hasSizeLessThanOrEqualTo(ThreadTitle.MAX_LENGTH);
        assertThat(message).startsWith(kept);
        assertThat(message.charAt(kept.length())).as("the cut falls before a space").isEqualTo(' ');
        assertThat(kept).doesNotEndWith(" ");
    }

    @Test
    void a_single_very_long_word_is_cut_hard_to_the_maximum_length() {
        // given
        String message = "a".repeat(500);

        // when
        String title = ThreadTitle.fromFirstMessage(message);

        // then
        assertThat(title).isEqualTo("a".repeat(ThreadTitle.MAX_LENGTH - 1) + ELLIPSIS);
        assertThat(title).hasSize(ThreadTitle.MAX_LENGTH);
    }

    @Test
    void a_long_word_after_a_short_one_is_cut_hard_rather_than_leaving_a_stub() {
        // given
        String message = "Hi " + "b".repeat(200);

        // when
        String title = ThreadTitle.fromFirstMessage(message);

        // then
        assertThat(title).startsWith("Hi bbb").endsWith(ELLIPSIS).hasSize(ThreadTitle.MAX_LENGTH);
    }

    @Test
    void a_hard_cut_never_splits_a_surrogate_pair() {
        // given the 59th character would be the first half of an emoji
        String message = "😀".repeat(40);

        // when
        String title = ThreadTitle.fromFirstMessage(message);

        // then
        assertThat(hasLoneSurrogate(title)).isFalse();
        assertThat(title).isEqualTo("😀".repeat(29) + ELLIPSIS);
    }

    @Test
    void a_hard_cut_that_falls_between_two_emojis_keeps_the_room_full() {
        // given shifted by one, the cut falls right after a whole emoji
        String message = "x" + "😀".repeat(40);

        // when
        String title = ThreadTitle.fromFirstMessage(message);

        // then
        assertThat(hasLoneSurrogate(title)).isFalse();
        assertThat(title).isEqualTo("x" + "😀".repeat(29) + ELLIPSIS).hasSize(ThreadTitle.MAX_LENGTH);
    }

    @Test
    void every_title_fits_a_thread() {
        String[] messages = {"", "short", "w ".repeat(100), "😀".repeat(100), "a".repeat(61), "long " + "é".repeat(70)};

        for (String message : messages) {
            String title = ThreadTitle.fromFirstMessage(message);
            assertThat(title).as("title of %s", message).isNotBlank().hasSizeLessThanOrEqualTo(ThreadTitle.MAX_LENGTH);
            assertThat(hasLoneSurrogate(title)).isFalse();
        }
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void a_unicode_line_separator_does_not_break_the_title_onto_two_lines() {
        assertThat(ThreadTitle.fromFirstMessage("Hello\u2028world\u0085again\u3000\u3000done")).isEqualTo("Hello world again done");
    }

    @Test
    void a_message_of_only_no_break_spaces_is_untitled() {
        assertThat(ThreadTitle.fromFirstMessage("\u00A0\u00A0")).isEqualTo(ThreadTitle.UNTITLED);
    }
}
