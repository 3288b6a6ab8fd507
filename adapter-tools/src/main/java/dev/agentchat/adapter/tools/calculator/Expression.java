package dev.agentchat.adapter.tools.calculator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates an arithmetic expression by recursive descent, computing each value as soon as it is parsed
 * (nothing needs a tree: there are no variables or branches). The grammar, loosest binding first:
 *
 * <pre>
 * expression := term (('+' | '-') term)*
 * term       := unary (('*' | '/' | '%') unary)*
 * unary      := ('-' | '+') unary | power
 * power      := primary (('^' | '**') unary)?
 * primary    := number | constant | function '(' expression (',' expression)* ')' | '(' expression ')'
 * </pre>
 *
 * <p>So {@code ^} binds tighter than a sign on its left and is right-associative, as written mathematics and
 * Python read it: {@code -2^2 = -(2^2) = -4}, {@code 2^3^2 = 2^9 = 512}; an exponent may carry a sign,
 * {@code 2^-1 = 0.5}. (Excel reads {@code -2^2} as 4; a model has seen the mathematical reading far more often.)
 * {@code %} is the remainder with the sign of the dividend, as in Java and C. Names are case-insensitive.
 *
 * <p>Doubles, not BigDecimal: sqrt, ln, log10, fractional powers, pi and e are irrational, and BigDecimal has
 * no logarithm or fractional power, so it would only pretend to be exact; the caller rounds the result to 15
 * significant digits, which hides binary artefacts such as {@code 0.1 + 0.2 = 0.30000000000000004}.
 *
 * <p>Safe by construction: the text is only ever read as this grammar, it is at most {@value #MAX_LENGTH}
 * characters, and nesting (parentheses, signs, exponents, function calls) is at most {@value #MAX_DEPTH}
 * levels, which bounds the recursion far below the stack's depth. Error positions are 1-based characters.
 */
final class Expression {
    static final int MAX_LENGTH = 1_000;
    static final int MAX_DEPTH = 50;
    static final List<String> CONSTANTS = List.of("pi", "e");

    private final String text;
    private int pos;
    private int depth;

    private Expression(String text) {
        this.text = text;
    }

    /** The value of {@code text}, or an {@link ExpressionError} saying what is wrong and where. */
    static double evaluate(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new ExpressionError("is too long: at most " + MAX_LENGTH + " characters, was " + text.length(), 0);
        }
        Expression expression = new Expression(text);
        expression.skipSpaces();
        if (expression.atEnd()) {
            throw new ExpressionError("is empty", 0);
        }
        double value = expression.expression();
        expression.skipSpaces();
        if (!expression.atEnd()) {
            throw expression.error("expected an operator or the end, found '" + expression.peek() + "'");
        }
        return value;
    }

    private double expression() {
        double value = term();
        while (true) {
            skipSpaces();
            int at = pos;
            if (take('+')) {
                value = checked(value + term(), at);
            } else if (take('-')) {
                value = checked(value - term(), at);
            } else {
                return value;
            }
        }
    }

    private double term() {
        double value = unary();
        while (true) {
            skipSpaces();
            int at = pos;
            if (peek() == '*' && peekNext() != '*') {
                pos++;
                value = checked(value * unary(), at);
            } else if (take('/')) {
                value = checked(value / nonZero(unary(), at), at);
            } else if (take('%')) {
                value = checked(value % nonZero(unary(), at), at);
            } else {
                return value;
            }
        }
    }

    private double unary() {
        skipSpaces();
        if (++depth > MAX_DEPTH) {
            throw error("is nested too deeply (more than " + MAX_DEPTH + " levels)");
        }
        try {
            if (take('-')) {
                return -unary();
            }
            if (take('+')) {
                return unary();
            }
            return power();
        } finally {
            depth--;
        }
    }

    private double power() {
        double base = primary();
        skipSpaces();
        int at = pos;
        if (take('^') || (peek() == '*' && peekNext() == '*' && skip(2))) {
            double exponent = unary();
            if (base == 0 && exponent < 0) {
                throw new ExpressionError("division by zero (0 raised to a negative power)", at + 1);
            }
            double value = Math.pow(base, exponent);
            if (Double.isNaN(value)) {
                throw new ExpressionError("a negative number raised to a fractional power has no real value", at + 1);
            }
            return checked(value, at);
        }
        return base;
    }

    private double primary() {
        skipSpaces();
        char c = peek();
        if (isDigit(c) || c == '.') {
            return number();
        }
        if (Character.isLetter(c)) {
            return named();
        }
        int open = pos;
        if (take('(')) {
            double value = expression();
            skipSpaces();
            if (!take(')')) {
                throw error("missing ')' to close the '(' at position " + (open + 1));
            }
            return value;
        }
        if (atEnd()) {
            throw error("ends too early: expected a number, a name or '('");
        }
        throw error("expected a number, a name or '(', found '" + c + "'");
    }

    private double number() {
        int start = pos;
        while (isDigit(peek())) {
            pos++;
        }
        if (peek() == '.') {
            pos++;
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (pos - start == 1 && text.charAt(start) == '.') {
            throw new ExpressionError("a lone '.' is not a number", start + 1);
        }
        int beforeExponent = pos;
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (isDigit(peek())) {
                while (isDigit(peek())) {
                    pos++;
                }
            } else {
                pos = beforeExponent; // not an exponent after all: "2e" is 2 followed by the name e (and then an error)
            }
        }
        double value = Double.parseDouble(text.substring(start, pos));
        if (Double.isInfinite(value)) {
            throw new ExpressionError("the number is too large", start + 1);
        }
        return value;
    }

    private double named() {
        int start = pos;
        while (Character.isLetterOrDigit(peek()) || peek() == '_') {
            pos++;
        }
        String written = text.substring(start, pos);
        String name = written.toLowerCase(Locale.ROOT);
        skipSpaces();
        boolean called = peek() == '(';
        if (MathFunctions.NAMES.contains(name)) {
            if (!called) {
                throw new ExpressionError("'" + name + "' is a function: write " + name + "(...)", start + 1);
            }
            pos++;
            return MathFunctions.apply(name, arguments(), start + 1);
        }
        if (CONSTANTS.contains(name)) {
            if (called) {
                throw new ExpressionError("'" + name + "' is a constant, not a function: write " + name + " * (...) to multiply", start + 1);
            }
            return name.equals("pi") ? Math.PI : Math.E;
        }
        throw new ExpressionError("unknown name '" + written + "'; the constants are "
                + String.join(", ", CONSTANTS) + " and the functions " + String.join(", ", MathFunctions.NAMES), start + 1);
    }

    /** The comma-separated arguments after a function's '(' up to and including its ')'. */
    private List<Double> arguments() {
        int open = pos - 1;
        List<Double> values = new ArrayList<>();
        skipSpaces();
        if (take(')')) {
            return values;
        }
        do {
            values.add(expression());
            skipSpaces();
        } while (take(','));
        if (!take(')')) {
            throw error(atEnd() ? "missing ')' to close the '(' at position " + (open + 1)
                    : "expected ',' or ')', found '" + peek() + "'");
        }
        return values;
    }

    /** The divisor of the '/' or '%' at {@code at}, unless it is zero. */
    private static double nonZero(double divisor, int at) {
        if (divisor == 0) {
            throw new ExpressionError("division by zero", at + 1);
        }
        return divisor;
    }

    /** The value, unless an operation at {@code at} overflowed it. */
    private static double checked(double value, int at) {
        if (Double.isInfinite(value)) {
            throw new ExpressionError("the result is too large", at + 1);
        }
        if (Double.isNaN(value)) {
            throw new ExpressionError("the result is not a number", at + 1);
        }
        return value;
    }

    private ExpressionError error(String reason) {
        return new ExpressionError(reason, pos + 1);
    }

    private void skipSpaces() {
        while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean take(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean skip(int chars) {
        pos += chars;
        return true;
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    /** The next character, or NUL at the end (NUL is no token, so every check of it fails). */
    private char peek() {
        return atEnd() ? '\0' : text.charAt(pos);
    }

    private char peekNext() {
        return pos + 1 < text.length() ? text.charAt(pos + 1) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
