package dev.agentchat.adapter.tools.calculator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** The functions an expression may call, each refusing the arguments it has no real value for. */
final class MathFunctions {
    static final List<String> NAMES = List.of("sqrt", "abs", "round", "floor", "ceil", "min", "max", "ln", "log10");
    /** round(x, digits) takes digits in this range; beyond it a double has nothing left to round. */
    private static final int MAX_ROUND_DIGITS = 15;

    private MathFunctions() {
    }

    /**
     * The value of the function {@code name} (one of {@link #NAMES}) for {@code args}.
     *
     * @param at the function name's position, which errors report
     */
    static double apply(String name, List<Double> args, int at) {
        return switch (name) {
            case "sqrt" -> {
                double x = single(name, args, at);
                if (x < 0) {
                    throw new ExpressionError("sqrt of a negative number (" + x + ")", at);
                }
                yield Math.sqrt(x);
            }
            case "ln", "log10" -> {
                double x = single(name, args, at);
                if (x <= 0) {
                    throw new ExpressionError(name + " is defined only for numbers above 0, was " + x, at);
                }
                yield name.equals("ln") ? Math.log(x) : Math.log10(x);
            }
            case "abs" -> Math.abs(single(name, args, at));
            case "floor" -> Math.floor(single(name, args, at));
            case "ceil" -> Math.ceil(single(name, args, at));
            case "round" -> round(args, at);
            case "min", "max" -> {
                if (args.isEmpty()) {
                    throw new ExpressionError(name + " takes at least 1 argument, got none", at);
                }
                yield args.stream().mapToDouble(Double::doubleValue).reduce(name.equals("min") ? Math::min : Math::max).orElseThrow();
            }
            default -> throw new IllegalArgumentException("no function is named " + name);
        };
    }

    /** round(x) or round(x, digits): half away from zero, so round(2.5) = 3 and round(-2.5) = -3, as people round. */
    private static double round(List<Double> args, int at) {
        if (args.isEmpty() || args.size() > 2) {
            throw new ExpressionError("round takes 1 or 2 arguments (x, digits), got " + args.size(), at);
        }
        int digits = 0;
        if (args.size() == 2) {
            double d = args.get(1);
            if (d != Math.rint(d) || Math.abs(d) > MAX_ROUND_DIGITS) {
                throw new ExpressionError("round's digits must be a whole number from -" + MAX_ROUND_DIGITS + " to "
                        + MAX_ROUND_DIGITS + ", was " + d, at);
            }
            digits = (int) d;
        }
        return BigDecimal.valueOf(args.getFirst()).setScale(digits, RoundingMode.HALF_UP).doubleValue();
    }

    private static double single(String name, List<Double> args, int at) {
        if (args.size() != 1) {
            throw new ExpressionError(name + " takes 1 argument, got " + args.size(), at);
        }
        return args.getFirst();
    }
}
