package dev.agentchat.adapter.tools.calculator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.agentchat.adapter.tools.Arguments;
import dev.agentchat.adapter.tools.Tool;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Evaluates an arithmetic expression the model writes, so that it need not do arithmetic in its head. */
public final class Calculator implements Tool {
    /** Doubles carry 15 to 17 significant digits; 15 are always right and hide binary artefacts (0.1 + 0.2). */
    private static final MathContext SHOWN_DIGITS = new MathContext(15, RoundingMode.HALF_EVEN);
    private static final BigDecimal SCIENTIFIC_FROM = new BigDecimal("1e15");
    private static final BigDecimal SCIENTIFIC_BELOW = new BigDecimal("1e-6");

    private static final ToolDefinition DEFINITION = new ToolDefinition(
            "calculator",
            "Evaluates an arithmetic expression and returns its value. Supports + - * / % (remainder), ^ (power, "
                    + "right-associative, binding tighter than a leading minus: -2^2 = -4), parentheses, numbers such as "
                    + "1.5 or 2e-3, the constants pi and e, and the functions sqrt, abs, round(x) or round(x, digits), "
                    + "floor, ceil, min(a, b, ...), max(a, b, ...), ln and log10. Use it for any arithmetic rather than "
                    + "working it out yourself.",
            """
            {
              "type": "object",
              "properties": {
                "expression": {
                  "type": "string",
                  "description": "The expression, e.g. \\"(2 + 3) * 4 ^ 2 / sqrt(16)\\"; at most %d characters.",
                  "maxLength": %d
                }
              },
              "required": ["expression"],
              "additionalProperties": false
            }
            """.formatted(Expression.MAX_LENGTH, Expression.MAX_LENGTH));

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolProgress progress) {
        String expression = Arguments.requiredString(arguments, "expression");
        double value;
        try {
            value = Expression.evaluate(expression);
        } catch (ExpressionError e) {
            return new ToolOutcome.Failed("expression: " + e.getMessage());
        }
        // The result goes in as a raw JSON number so that it reads exactly as formatted (20, not 20.0 or 2E+1).
        String result = JsonNodeFactory.instance.objectNode()
                .put("expression", expression)
                .putRawValue("result", new RawValue(format(value)))
                .toString();
        return new ToolOutcome.Succeeded(result);
    }

    /** The value as a JSON number with at most 15 significant digits: plain ("0.3", "20") unless very large or small ("1E+20"). */
    static String format(double value) {
        if (value == 0) {
            return "0"; // also for -0.0, which no reader wants to see
        }
        BigDecimal rounded = BigDecimal.valueOf(value).round(SHOWN_DIGITS).stripTrailingZeros();
        BigDecimal magnitude = rounded.abs();
        boolean plain = magnitude.compareTo(SCIENTIFIC_FROM) < 0 && magnitude.compareTo(SCIENTIFIC_BELOW) >= 0;
        return plain ? rounded.toPlainString() : rounded.toString();
    }
}
