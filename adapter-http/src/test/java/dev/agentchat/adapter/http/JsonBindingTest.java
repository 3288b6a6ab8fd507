package dev.agentchat.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading a parsed body as a record: members by their snake_case names, each of exactly its type. */
class JsonBindingTest {
    record Sample(String someText, Boolean flag, Integer count, Long big, Double ratio, List<String> names,
                  Map<String, String> labels, Nested nested) {
    }

    record Nested(String innerName) {
    }

    @Test
    void members_are_read_by_their_snake_case_names_and_absent_or_null_ones_are_null() {
        Sample sample = bind("{\"some_text\":\"a\",\"flag\":false,\"count\":3,\"ratio\":1,\"names\":[\"x\"],"
                + "\"labels\":{\"k\":\"v\"},\"nested\":{\"inner_name\":\"n\"},\"big\":null,\"newer_member\":{}}");

        assertThat(sample).isEqualTo(new Sample("a", false, 3, null, 1.0, List.of("x"), Map.of("k", "v"),
                new Nested("n")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"some_text\":7}                 | 'some_text' must be a string.",
            "{\"some_text\":true}              | 'some_text' must be a string.",
            "{\"some_text\":1.5}               | 'some_text' must be a string.",
            "{\"some_text\":[\"a\"]}           | 'some_text' must be a string.",
            "{\"flag\":\"true\"}               | 'flag' must be true or false.",
            "{\"flag\":1}                      | 'flag' must be true or false.",
            "{\"count\":1.5}                   | 'count' must be a whole number.",
            "{\"count\":\"3\"}                 | 'count' must be a whole number.",
            "{\"count\":true}                  | 'count' must be a whole number.",
            "{\"ratio\":\"0.5\"}               | 'ratio' must be a number.",
            "{\"names\":\"x\"}                 | 'names' must be an array.",
            "{\"names\":[\"x\",2]}             | 'names[1]' must be a string.",
            "{\"labels\":{\"k\":2}}            | 'labels.k' must be a string.",
            "{\"nested\":{\"inner_name\":{}}}  | 'nested.inner_name' must be a string."})
    void a_member_of_another_type_is_refused_by_name_rather_than_coerced(String body, String detail) {
        assertThatThrownBy(() -> bind(body.strip())).isInstanceOf(MalformedBody.class).hasMessage(detail);
    }

    @Test
    void a_number_too_large_for_its_member_is_refused() {
        assertThatThrownBy(() -> bind("{\"count\":12345678901}")).isInstanceOf(MalformedBody.class)
                .hasMessageStartingWith("'count'");
    }

    private static Sample bind(String body) {
        return Json.bind(Json.read(body.getBytes(StandardCharsets.UTF_8)), Sample.class);
    }
}
