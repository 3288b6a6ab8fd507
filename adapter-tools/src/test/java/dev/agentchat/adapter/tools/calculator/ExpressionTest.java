package dev.agentchat.adapter.tools.calculator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            42                          | 42
            1 + 2                       | 3
            2 + 3 * 4                   | 14
            (2 + 3) * 4                 | 20
            10 - 4 - 3                  | 3
            64 / 4 / 2                  | 8
            2 * 3 % 4                   | 2
            7 % 3                       | 1
            -7 % 3                      | -1
            7.5 % 2                     | 1.5
            2 ^ 10                      | 1024
            2^3^2                       | 512
            (2^3)^2                     | 64
            -2^2                        | -4
            (-2)^2                      | 4
            2^-1                        | 0.5
            -2^-2                       | -0.25
            2**3**2                     | 512
            2 * -3                      | -6
            --1                         | 1
            - - -1                      | -1
            +5 - +2                     | 3
            -3 - -3                     | 0
            1.5e3                       | 1500
            2E-3 * 1000                 | 2
            1e+2                        | 100
            .5 + .5                     | 1
            3. * 2                      | 6
            (2 + 3) * 4 ^ 2 / sqrt(16)  | 20
            sqrt(2) ^ 2                 | 2.0000000000000004
            abs(-3.5)                   | 3.5
            floor(-1.5) + ceil(1.2)     | 0
            round(2.5)                  | 3
            round(-2.5)                 | -3
            round(3.14159, 2)           | 3.14
            round(1234.5, -2)           | 1200
            min(3, 1, 2)                | 1
            max(1, min(5, 3) * 2)       | 6
            max(-1)                     | -1
            log10(1000)                 | 3
            ln(e)                       | 1
            ln(1)                       | 0
            SQRT(4) + PI - pi           | 2
            ( ( 1 ) )                   | 1
            """)
    void evaluates(String expression, double expected) {
        assertThat(Expression.evaluate(expression)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void knows_pi_and_e_to_a_doubles_precision() {
        assertThat(Expression.evaluate("pi")).isEqualTo(Math.PI);
        assertThat(Expression.evaluate("e")).isEqualTo(Math.E);
        assertThat(Expression.evaluate("2 * pi * 3")).isEqualTo(2 * Math.PI * 3);
    }

    @Test
    void a_number_is_never_multiplied_by_a_name_it_touches() {
        // "2e" is not 2 * e and not an unfinished exponent: implicit multiplication is not part of the grammar
        assertThatThrownBy(() -> Expression.evaluate("2pi")).hasMessage("expected an operator or the end, found 'p' at position 2");
    }

    @Test
    void white_space_of_any_kind_is_skipped() {
        assertThat(Expression.evaluate("\t1\n+\r\n2   ")).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}: {1} at {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            1 / 0                | division by zero                                        | 3
            1 / (2 - 2)          | division by zero                                        | 3
            5 % 0                | division by zero                                        | 3
            0 ^ -1               | division by zero (0 raised to a negative power)         | 3
            2 +                  | ends too early: expected a number, a name or '('        | 4
            2 ^                  | ends too early: expected a number, a name or '('        | 4
            2 * (3 + 4           | missing ')' to close the '(' at position 5              | 11
            max(1, 2             | missing ')' to close the '(' at position 4              | 9
            max(1 2)             | expected ',' or ')', found '2'                          | 7
            2 3                  | expected an operator or the end, found '3'              | 3
            1 + * 2              | expected a number, a name or '(', found '*'             | 5
            (1 + 2))             | expected an operator or the end, found ')'              | 8
            1,2                  | expected an operator or the end, found ','              | 2
            2 x 3                | expected an operator or the end, found 'x'              | 3
            2e                   | expected an operator or the end, found 'e'              | 2
            foo(2)               | unknown name 'foo'; the constants are pi, e and the functions sqrt, abs, round, floor, ceil, min, max, ln, log10 | 1
            sqrt 4               | 'sqrt' is a function: write sqrt(...)                   | 1
            3 * pi(2)            | 'pi' is a constant, not a function: write pi * (...) to multiply | 5
            sqrt(1, 2)           | sqrt takes 1 argument, got 2                            | 1
            abs()                | abs takes 1 argument, got 0                             | 1
            min()                | min takes at least 1 argument, got none                 | 1
            round(1, 2, 3)       | round takes 1 or 2 arguments (x, digits), got 3         | 1
            round(1.5, 0.5)      | round's digits must be a whole number from -15 to 15, was 0.5 | 1
            1 + sqrt(-1)         | sqrt of a negative number (-1.0)                        | 5
            ln(0)                | ln is defined only for numbers above 0, was 0.0         | 1
            log10(-5)            | log10 is defined only for numbers above 0, was -5.0     | 1
            (-8) ^ (1/3)         | a negative number raised to a fractional power has no real value | 6
            10 ^ 400             | the result is too large                                 | 4
            1e308 * 10           | the result is too large                                 | 7
            1e400                | the number is too large                                 | 1
            . + 1                | a lone '.' is not a number                              | 1
            1 + #                | expected a number, a name or '(', found '#'             | 5
            """)
    void refuses_with_the_reason_and_position(String expression, String reason, int position) {
        assertThatThrownBy(() -> Expression.evaluate(expression)).isInstanceOfSatisfying(ExpressionError.class, error -> {
            assertThat(error.reason()).isEqualTo(reason);
            assertThat(error.position()).isEqualTo(position);
            assertThat(error.getMessage()).isEqualTo(reason + " at position " + position);
        });
    }

    @Test
    void an_empty_expression_is_refused() {
        assertThatThrownBy(() -> Expression.evaluate("  ")).isInstanceOfSatisfying(ExpressionError.class,
                error -> assertThat(error.getMessage()).isEqualTo("is empty"));
    }

    @Test
    void an_expression_may_be_as_long_as_the_limit_but_no_longer() {
        // given
        String longest = "1" + "+1".repeat(499) + " ";
        assertThat(longest).hasSize(Expression.MAX_LENGTH);

        // when / then
        assertThat(Expression.evaluate(longest)).isEqualTo(500);
        assertThatThrownBy(() -> Expression.evaluate(longest + "1")).hasMessage("is too long: at most 1000 characters, was 1001");
    }

    @Test
    void nesting_is_bounded() {
        // given: each parenthesis, sign or exponent is a level; the outermost term is the first
        String deepest = "(".repeat(Expression.MAX_DEPTH - 1) + "1" + ")".repeat(Expression.MAX_DEPTH - 1);
        String tooDeep = "(" + deepest + ")";

        // when / then
        assertThat(Expression.evaluate(deepest)).isEqualTo(1);
        assertThatThrownBy(() -> Expression.evaluate(tooDeep)).isInstanceOfSatisfying(ExpressionError.class, error -> {
            assertThat(error.reason()).isEqualTo("is nested too deeply (more than 50 levels)");
            assertThat(error.position()).isEqualTo(Expression.MAX_DEPTH + 1);
        });
        assertThatThrownBy(() -> Expression.evaluate("-".repeat(500) + "1")).hasMessageStartingWith("is nested too deeply");
        assertThatThrownBy(() -> Expression.evaluate("1" + "^1".repeat(300))).hasMessageStartingWith("is nested too deeply");
        assertThatThrownBy(() -> Expression.evaluate("sqrt(".repeat(100) + "1" + ")".repeat(100))).hasMessageStartingWith("is nested too deeply");
    }

    @Test
    void a_long_flat_expression_is_not_nesting() {
        assertThat(Expression.evaluate("1" + "*1".repeat(400))).isEqualTo(1);
    }
}
