package dev.agentchat.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputSchemaTest {
    @Test
    void arguments_are_checked_against_the_schema_naming_what_breaks_it() {
        InputSchema schema = InputSchema.compile(Map.of("type", "object",
                "properties", Map.of("a", Map.of("type", "string")), "required", List.of("a")));

        assertThat(schema.violations(Map.of("a", "x"))).isEmpty();
        assertThat(schema.violations(Map.of("a", 1))).hasValueSatisfying(why -> assertThat(why).contains("/a", "string"));
        assertThat(schema.violations(Map.of())).hasValueSatisfying(why -> assertThat(why).contains("a"));
    }

    @Test
    void no_schema_at_all_takes_any_object() {
        assertThat(InputSchema.compile(null).violations(Map.of("anything", 1))).isEmpty();
    }

    @Test
    void a_schema_that_does_not_compile_is_refused_when_it_is_read() {
        assertThatThrownBy(() -> InputSchema.compile(Map.of("type", "object", "$ref", "#/$defs/missing")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
