package dev.agentchat.adapter.http.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServedFileTest {
    @Test
    void gzip_is_sent_only_where_accept_encoding_gives_it_a_weight_above_zero() {
        assertThat(ServedFile.acceptsGzip(List.of("gzip, deflate, br"))).isTrue();
        assertThat(ServedFile.acceptsGzip(List.of("br;q=1.0, GZIP;q=0.5"))).isTrue();
        assertThat(ServedFile.acceptsGzip(List.of("deflate", "x-gzip"))).isTrue();
        assertThat(ServedFile.acceptsGzip(List.of("*"))).isTrue();
        assertThat(ServedFile.acceptsGzip(List.of())).isFalse();
        assertThat(ServedFile.acceptsGzip(List.of("identity"))).isFalse();
        assertThat(ServedFile.acceptsGzip(List.of("gzip;q=0"))).isFalse();
        assertThat(ServedFile.acceptsGzip(List.of("*, gzip;q=0"))).as("named beats the wildcard").isFalse();
        assertThat(ServedFile.acceptsGzip(List.of("gzip;q=abc"))).isFalse();
    }

    @Test
    void if_none_match_compares_tags_weakly_and_star_matches_any() {
        assertThat(ServedFile.matches(List.of("\"abc\""), "\"abc\"")).isTrue();
        assertThat(ServedFile.matches(List.of("W/\"abc\""), "\"abc\"")).isTrue();
        assertThat(ServedFile.matches(List.of("\"x\", \"abc\""), "\"abc\"")).isTrue();
        assertThat(ServedFile.matches(List.of("\"x\"", "\"abc\""), "\"abc\"")).isTrue();
        assertThat(ServedFile.matches(List.of("*"), "\"abc\"")).isTrue();
        assertThat(ServedFile.matches(List.of("\"abcd\""), "\"abc\"")).isFalse();
        assertThat(ServedFile.matches(List.of(), "\"abc\"")).isFalse();
    }

    @Test
    void text_is_compressed_once_when_it_is_large_enough_and_other_files_never() {
        byte[] text = "the same words again and again; ".repeat(100).getBytes(StandardCharsets.UTF_8);

        assertThat(ServedFile.of("a.js", text, "no-cache").gzipped()).isPresent();
        assertThat(ServedFile.of("a.svg", text, "no-cache").gzipped()).isPresent();
        assertThat(ServedFile.of("a.js", "small".getBytes(StandardCharsets.UTF_8), "no-cache").gzipped()).isEmpty();
        assertThat(ServedFile.of("a.woff2", text, "no-cache").gzipped()).isEmpty();
        assertThat(ServedFile.of("a.png", text, "no-cache").gzipped()).isEmpty();
    }

    @Test
    void a_files_tag_changes_with_its_content() {
        byte[] one = "one".getBytes(StandardCharsets.UTF_8);

        assertThat(ServedFile.of("a.js", one, "no-cache").entityTag()).isEqualTo(ServedFile.of("b.css", one, "x").entityTag());
        assertThat(ServedFile.of("a.js", one, "no-cache").entityTag())
                .isNotEqualTo(ServedFile.of("a.js", "two".getBytes(StandardCharsets.UTF_8), "no-cache").entityTag());
    }

    @Test
    void a_name_the_build_may_write_gets_its_type_and_any_other_is_bytes() {
        assertThat(ServedFile.contentTypeOf("index-B7pQ2-aZ.js")).isEqualTo("text/javascript; charset=UTF-8");
        assertThat(ServedFile.contentTypeOf("index.CSS")).isEqualTo("text/css; charset=UTF-8");
        assertThat(ServedFile.contentTypeOf("logo.png")).isEqualTo("image/png");
        assertThat(ServedFile.contentTypeOf("run.sh")).isEqualTo("application/octet-stream");
        assertThat(ServedFile.contentTypeOf("noextension")).isEqualTo("application/octet-stream");
    }
}
