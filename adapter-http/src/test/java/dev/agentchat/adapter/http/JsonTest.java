package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading a request body: one JSON document in UTF-8, read as sent or refused. */
class JsonTest {
    @Test
    void a_byte_order_mark_before_the_document_is_ignored_as_rfc_8259_allows() {
        byte[] body = "\uFEFF{\"message\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(Json.read(body).get("message").textValue()).isEqualTo("hi");
    }

    @Test
    void characters_outside_the_basic_plane_are_read_raw_or_escaped() {
        byte[] body = "{\"a\":\"\uD83D\uDE00\",\"b\":\"\\ud83d\\ude00\"}".getBytes(StandardCharsets.UTF_8);

        var tree = Json.read(body);

        assertThat(tree.get("a").textValue()).isEqualTo("\uD83D\uDE00");
        assertThat(tree.get("b").textValue()).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void an_empty_body_is_no_document_rather_than_an_error() {
        assertThat(Json.read(new byte[0]).isMissingNode()).isTrue();
    }

    @Test
    void each_refusal_says_which_rule_the_body_broke() {
        assertThatThrownBy(() -> Json.read(new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'}))
                .isInstanceOf(MalformedBody.class).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> Json.read("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MalformedBody.class).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> Json.read("{} {}".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MalformedBody.class).hasMessageContaining("Trailing token");
        assertThatThrownBy(() -> Json.read("[\"\\udc00\"]".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(MalformedBody.class).hasMessageContaining("surrogate");
    }
}
