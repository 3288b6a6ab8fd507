package dev.agentchat.adapter.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The API's one timestamp format: ISO-8601 in UTC with milliseconds, always the same width. */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.")
            .withZone(ZoneOffset.UTC);

    /**
     * The text up to the milliseconds of the second formatted last. Every token carries a timestamp, and
     * tokens come many to a second: only the milliseconds change between them, so the formatter (which
     * costs more than the rest of a token's frame) runs once a second. Racing threads at worst format
     * the same second twice.
     */
    private record Second(long epochSecond, String text) {
    }

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private Timestamps() {
    }

    public static String format(Instant instant) {
        long second = instant.getEpochSecond();
        Second cached = last;
        if (cached.epochSecond() != second) {
            cached = new Second(second, FORMAT.format(Instant.ofEpochSecond(second)));
            last = cached;
        }
        int millis = instant.getNano() / 1_000_000;
        char[] tail = {(char) ('0' + millis / 100), (char) ('0' + millis / 10 % 10), (char) ('0' + millis % 10), 'Z'};
        return cached.text().concat(new String(tail));
    }
}
