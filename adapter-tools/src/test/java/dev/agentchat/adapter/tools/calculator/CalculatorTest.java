package dev.agentchat.adapter.tools.calculator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.adapter.tools.BuiltInTools;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The calculator as the model uses it: JSON arguments in, JSON result or a failure with a position out. */
class CalculatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BuiltInTools TOOLS = BuiltInTools.only(Clock.systemUTC(), List.of("calculator"));

    @Test
    void the_result_is_a_json_number_next_to_the_expression() throws Exception {
        // when
        ToolOutcome outcome = calculate("{\"expression\": \"(2 + 3) * 4 ^ 2 / sqrt(16)\"}");

        // then
        assertThat(outcome).isEqualTo(new ToolOutcome.Succeeded("{\"expression\":\"(2 + 3) * 4 ^ 2 / sqrt(16)\",\"result\":20}"));
        JsonNode result = JSON.readTree(((ToolOutcome.Succeeded) outcome).output()).get("result");
        assertThat(result.isNumber()).isTrue();
        assertThat(result.intValue()).isEqualTo(20);
    }

    @ParameterizedTest(name = "{0} reads {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.1 + 0.2        | 0.3
            1 / 3            | 0.333333333333333
            2 / 3            | 0.666666666666667
            20 / 1           | 20
            -0 * 1           | 0
            123456.789       | 123456.789
            -1.5             | -1.5
            10 ^ 20          | 1E+20
            2 ^ 53           | 9.00719925474099E+15
            1.5e-7           | 1.5E-7
            0.000001         | 0.000001
            """)
    void the_result_is_rounded_to_fifteen_significant_digits(String expression, String shown) throws Exception {
        // when
        ToolOutcome outcome = calculate("{\"expression\": \"" + expression + "\"}");

        // then: the text as formatted, and a valid JSON number
        assertThat(outcome).isInstanceOf(ToolOutcome.Succeeded.class);
        String output = ((ToolOutcome.Succeeded) outcome).output();
        assertThat(output).endsWith("\"result\":" + shown + "}");
        assertThat(JSON.readTree(output).get("result").isNumber()).isTrue();
    }

    @Test
    void an_error_names_the_expression_field_the_reason_and_the_position() {
        assertThat(calculate("{\"expression\": \"1 / (2 - 2)\"}"))
                .isEqualTo(new ToolOutcome.Failed("expression: division by zero at position 3"));
    }

    @Test
    void an_expression_over_the_limit_fails() {
        assertThat(calculate("{\"expression\": \"" + "1+".repeat(600) + "1\"}"))
                .isEqualTo(new ToolOutcome.Failed("expression: is too long: at most 1000 characters, was 1201"));
    }

    @Test
    void a_missing_or_mistyped_expression_fails_naming_it() {
        assertThat(calculate("{}")).isEqualTo(new ToolOutcome.Failed("arguments: 'expression' is required"));
        assertThat(calculate("{\"expression\": null}")).isEqualTo(new ToolOutcome.Failed("arguments: 'expression' is required"));
        assertThat(calculate("{\"expression\": 42}"))
                .isEqualTo(new ToolOutcome.Failed("arguments: 'expression' must be a string, was a number (42)"));
        assertThat(calculate("{\"expression\": [\"1 + 1\"]}"))
                .isEqualTo(new ToolOutcome.Failed("arguments: 'expression' must be a string, was an array"));
    }

    private static ToolOutcome calculate(String arguments) {
        return TOOLS.execute(new ToolInvocation("calculator", arguments), ToolProgress.IGNORED);
    }
}
