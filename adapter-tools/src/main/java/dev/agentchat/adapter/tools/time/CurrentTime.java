package dev.agentchat.adapter.tools.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentchat.adapter.tools.Arguments;
import dev.agentchat.adapter.tools.Tool;
import dev.agentchat.domain.tool.ToolDefinition;
import dev.agentchat.ports.tool.ToolOutcome;
import dev.agentchat.ports.tool.ToolProgress;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/** The current time in a time zone (UTC unless the model names one), read from the clock it is given. */
public final class CurrentTime implements Tool {
    private static final ToolDefinition DEFINITION = new ToolDefinition(
            "current_time",
            "Returns the current date and time (ISO-8601), the UTC offset and the day of the week in a time zone. "
                    + "Use it whenever the answer depends on today's date or the time of day.",
            """
            {
              "type": "object",
              "properties": {
                "timezone": {
                  "type": "string",
                  "description": "An IANA time zone such as \\"Europe/Amsterdam\\" or \\"America/New_York\\"; UTC when left out."
                }
              },
              "required": [],
              "additionalProperties": false
            }
            """);

    private final Clock clock;

    public CurrentTime(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public ToolOutcome run(JsonNode arguments, ToolProgress progress) {
        String zoneName = Arguments.optionalString(arguments, "timezone").orElse("UTC");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName.strip());
        } catch (DateTimeException e) {
            return new ToolOutcome.Failed("timezone: '" + zoneName + "' is not a known time zone; use an IANA name such as "
                    + "'Europe/Amsterdam' or 'America/New_York', or leave it out for UTC");
        }
        // Whole seconds: finer precision only adds digits the model would repeat to the user.
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(zone).truncatedTo(ChronoUnit.SECONDS);
        ObjectNode result = JsonNodeFactory.instance.objectNode()
                .put("time", now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("timezone", zone.getId())
                .put("utc_offset", offsetOf(now))
                .put("date", now.toLocalDate().toString())
                .put("day_of_week", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH))
                .put("utc_time", now.withZoneSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT));
        return new ToolOutcome.Succeeded(result.toString());
    }

    /** "+01:00", and "+00:00" rather than java.time's "Z", so that the field always reads the same way. */
    private static String offsetOf(ZonedDateTime time) {
        return time.getOffset().equals(ZoneOffset.UTC) ? "+00:00" : time.getOffset().getId();
    }
}
