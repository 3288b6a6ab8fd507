package dev.agentchat.adapter.tools.time;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentchat.adapter.tools.BuiltInTools;
import dev.agentchat.ports.tool.ToolInvocation;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CurrentTimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A Saturday, in winter time in Europe. */
    private static final Instant SATURDAY_NOON_UTC = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void without_arguments_it_tells_the_time_in_utc() {
        // when
        JsonNode time = timeAt(SATURDAY_NOON_UTC, "{}");

        // then
        assertThat(time.get("time").asText()).isEqualTo("2025-03-01T12:00:00Z");
        assertThat(time.get("timezone").asText()).isEqualTo("UTC");
        assertThat(time.get("utc_offset").asText()).isEqualTo("+00:00");
        assertThat(time.get("date").asText()).isEqualTo("2025-03-01");
        assertThat(time.get("day_of_week").asText()).isEqualTo("Saturday");
        assertThat(time.get("utc_time").asText()).isEqualTo("2025-03-01T12:00:00Z");
    }

    @ParameterizedTest(name = "{1} at {0} is {2}, a {3}")
    @CsvSource({
            "2025-03-01T12:00:00Z, Europe/Amsterdam, 2025-03-01T13:00:00+01:00, Saturday",
            "2025-07-01T12:00:00Z, Europe/Amsterdam, 2025-07-01T14:00:00+02:00, Tuesday",
            "2025-03-01T12:00:00Z, Pacific/Auckland, 2025-03-02T01:00:00+13:00, Sunday",
            "2025-03-01T02:00:00Z, America/New_York, 2025-02-28T21:00:00-05:00, Friday",
            "2025-03-01T12:00:00Z, Asia/Kolkata,     2025-03-01T17:30:00+05:30, Saturday",
            "2025-03-01T12:00:00Z, +03:00,           2025-03-01T15:00:00+03:00, Saturday"
    })
    void in_a_named_zone_it_tells_the_local_time_and_day(String instant, String zone, String local, String day) {
        // when
        JsonNode time = timeAt(Instant.parse(instant), "{\"timezone\": \"" + zone + "\"}");

        // then
        assertThat(time.get("time").asText()).isEqualTo(local);
        assertThat(time.get("timezone").asText()).isEqualTo(zone);
        assertThat(time.get("utc_offset").asText()).isEqualTo(local.substring(local.length() - 6));
        assertThat(time.get("day_of_week").asText()).isEqualTo(day);
        assertThat(time.get("utc_time").asText()).isEqualTo(instant);
    }

    @Test
    void fractions_of_a_second_are_left_out() {
        assertThat(timeAt(Instant.parse("2025-03-01T12:00:00.987654321Z"), "{}").get("time").asText()).isEqualTo("2025-03-01T12:00:00Z");
    }

    @Test
    void a_timezone_of_null_is_utc() {
        assertThat(timeAt(SATURDAY_NOON_UTC, "{\"timezone\": null}").get("timezone").asText()).isEqualTo("UTC");
    }

    @Test
    void the_clock_is_read_at_each_call() {
        // given
        MovableClock clock = new MovableClock(SATURDAY_NOON_UTC);
        BuiltInTools tools = BuiltInTools.only(clock, List.of("current_time"));
        ToolInvocation now = new ToolInvocation("current_time", "{}");
        tools.execute(now, ToolProgress.IGNORED);

        // when
        clock.instant = SATURDAY_NOON_UTC.plusSeconds(3_600);

        // then
        assertThat(tools.execute(now, ToolProgress.IGNORED).toString()).contains("2025-03-01T13:00:00Z");
    }

    @ParameterizedTest
    @CsvSource({"Mars/Olympus_Mons", "Europe/Amsterdamm", "''", "CEST +2"})
    void an_unknown_zone_fails_naming_it(String zone) {
        // when
        ToolOutcome outcome = execute(SATURDAY_NOON_UTC, "{\"timezone\": \"" + zone + "\"}");

        // then
        assertThat(outcome).isInstanceOfSatisfying(ToolOutcome.Failed.class, failed -> assertThat(failed.error())
                .startsWith("timezone: '" + zone + "' is not a known time zone").contains("IANA").contains("Europe/Amsterdam"));
    }

    @Test
    void a_timezone_that_is_not_a_string_fails() {
        assertThat(execute(SATURDAY_NOON_UTC, "{\"timezone\": 1}"))
                .isEqualTo(new ToolOutcome.Failed("arguments: 'timezone' must be a string, was a number (1)"));
    }

    private static JsonNode timeAt(Instant instant, String arguments) {
        ToolOutcome outcome = execute(instant, arguments);
        assertThat(outcome).isInstanceOf(ToolOutcome.Succeeded.class);
        try {
            return JSON.readTree(((ToolOutcome.Succeeded) outcome).output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ToolOutcome execute(Instant instant, String arguments) {
        BuiltInTools tools = BuiltInTools.only(Clock.fixed(instant, ZoneOffset.UTC), List.of("current_time"));
        return tools.execute(new ToolInvocation("current_time", arguments), ToolProgress.IGNORED);
    }

    /** A clock a test moves by hand. Read and moved on the test's thread only. */
    private static final class MovableClock extends Clock {
        private Instant instant;

        MovableClock(Instant instant) {
            this.instant = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("not needed");
        }

        @Override
        public Instant instant() {
            return instant;
        }
    }
}
