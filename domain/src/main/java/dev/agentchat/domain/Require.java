package dev.agentchat.domain;

import java.util.Objects;

/** Argument checks for the compact constructors of boundary records. */
public final class Require {
    private Require() {
    }

    public static String nonBlank(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    public static String maxLength(String value, int max, String name) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException(name + " must be at most " + max + " characters, was " + value.length());
        }
        return value;
    }

    /** An identifier: non-blank, at most 128 characters, letters, digits, '-', '_' and '.' only. */
    public static String identifier(String value, String name) {
        nonBlank(value, name);
        maxLength(value, 128, name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                throw new IllegalArgumentException(name + " may hold only letters, digits, '-', '_' and '.'");
            }
        }
        return value;
    }

    public static int nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    public static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }
}
