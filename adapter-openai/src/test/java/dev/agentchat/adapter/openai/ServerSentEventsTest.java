package dev.agentchat.adapter.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentchat.ports.chat.ModelFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {
    private final ServerSentEvents events = new ServerSentEvents();

    @Test
    void comment_lines_are_skipped() {
        assertThat(feed(": keep-alive\n\ndata: {\"a\":1}\n\n:\n\n")).containsExactly("{\"a\":1}");
    }

    @Test
    void an_event_split_across_pieces_is_whole_once_its_blank_line_arrives() {
        assertThat(feed("da")).isEmpty();
        assertThat(feed("ta: {\"a\"")).isEmpty();
        assertThat(feed(":1}\n")).isEmpty();
        assertThat(feed("\n")).containsExactly("{\"a\":1}");
    }

    @Test
    void a_character_split_between_two_pieces_is_decoded_whole() {
        byte[] bytes = "data: caf\u00e9 \ud83d\ude00\n\n".getBytes(StandardCharsets.UTF_8);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            all.addAll(events.feed(Arrays.copyOfRange(bytes, i, i + 1))); // one byte at a time
        }
        assertThat(all).containsExactly("caf\u00e9 \ud83d\ude00");
    }

    @Test
    void crlf_and_cr_line_ends_are_line_ends() {
        assertThat(feed("data: one\r\n\r\ndata: two\r\rdata: three\r")).containsExactly("one", "two");
        assertThat(feed("\n")).as("the LF of a CRLF split across pieces").isEmpty();
        assertThat(feed("\r\n")).containsExactly("three");
    }

    @Test
    void several_data_lines_join_with_a_line_feed_and_other_fields_are_ignored() {
        assertThat(feed("event: message\nid: 7\nretry: 100\ndata: a\ndata:b\n\n")).containsExactly("a\nb");
    }

    @Test
    void a_last_event_without_its_blank_line_is_still_taken_at_the_end() {
        assertThat(feed("data: [DONE]\n")).isEmpty();
        assertThat(events.finish()).contains("[DONE]");
        assertThat(events.finish()).isEmpty();
    }

    @Test
    void a_line_without_end_is_refused_past_the_limit() {
        byte[] huge = new byte[ServerSentEvents.MAX_LINE_BYTES + 1];
        Arrays.fill(huge, (byte) 'a');
        assertThatThrownBy(() -> events.feed(huge)).isInstanceOfSatisfying(ModelFailure.class,
                failure -> assertThat(failure.code()).isEqualTo("model_protocol_error"));
    }

    private List<String> feed(String text) {
        return events.feed(text.getBytes(StandardCharsets.UTF_8));
    }
}
