package dev.agentchat.domain.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationWindowTest {

    @Test
    void the_newest_groups_that_fit_are_kept_in_order() {
        List<List<String>> groups = List.of(List.of("aaaa"), List.of("bb", "cc"), List.of("d"));

        assertThat(ConversationWindow.newestWithin(groups, String::length, 5)).containsExactly("bb", "cc", "d");
        assertThat(ConversationWindow.newestWithin(groups, String::length, 9)).containsExactly("aaaa", "bb", "cc", "d");
    }

    @Test
    void a_group_is_kept_or_dropped_whole() {
        List<List<String>> groups = List.of(List.of("call", "result"), List.of("xy"));

        assertThat(ConversationWindow.newestWithin(groups, String::length, 8)).containsExactly("xy");
    }

    @Test
    void the_newest_group_stays_even_alone_over_the_budget() {
        assertThat(ConversationWindow.newestWithin(List.of(List.of("old"), List.of("very long")), String::length, 2))
                .containsExactly("very long");
        assertThat(ConversationWindow.newestWithin(List.<List<String>>of(), String::length, 2)).isEmpty();
    }

    @Test
    void an_older_group_that_fits_is_not_kept_past_a_newer_one_that_did_not() {
        List<List<String>> groups = List.of(List.of("a"), List.of("bbbbbbbbbb"), List.of("c"));

        assertThat(ConversationWindow.newestWithin(groups, String::length, 3)).containsExactly("c");
    }
}
