package dev.agentchat.adapter.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads typed fields from one call's arguments object. A JSON {@code null} counts as a field left out: some
 * models send {@code null} for every optional parameter they do not use.
 */
public final class Arguments {
    private Arguments() {
    }

    /** The string field, or an {@link InvalidArguments} saying that it is missing or not a string. */
    public static String requiredString(JsonNode arguments, String field) {
        return optionalString(arguments, field)
                .orElseThrow(() -> new InvalidArguments("arguments: '" + field + "' is required"));
    }

    /** The string field if present, or an {@link InvalidArguments} if it is there but not a string. */
    public static Optional<String> optionalString(JsonNode arguments, String field) {
        JsonNode value = arguments.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string", value);
        }
        return Optional.of(value.textValue());
    }

    /**
     * The integer field if present, or an {@link InvalidArguments} if it is not a whole number in {@code [min, max]}.
     * {@code 3.0} counts as 3, since some models write every number with a fraction.
     */
    public static OptionalInt optionalInt(JsonNode arguments, String field, int min, int max) {
        JsonNode value = arguments.get(field);
        if (value == null || value.isNull()) {
            return OptionalInt.empty();
        }
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToInt()) {
            throw wrongType(field, "a whole number", value);
        }
        int number = value.intValue();
        if (number < min || number > max) {
            throw new InvalidArguments("arguments: '" + field + "' must be between " + min + " and " + max + ", was " + number);
        }
        return OptionalInt.of(number);
    }

    private static InvalidArguments wrongType(String field, String expected, JsonNode value) {
        return new InvalidArguments("arguments: '" + field + "' must be " + expected + ", was " + describe(value));
    }

    /** How a JSON value is named in a message: its type, and the value itself when short. */
    static String describe(JsonNode value) {
        String type = switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case STRING -> "a string";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
        String text = value.toString();
        return value.isValueNode() && text.length() <= 40 ? type + " (" + text + ")" : type;
    }
}
