package dev.agentchat.adapter.http.observe;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One line per request answered, through the logger {@code dev.agentchat.access} at INFO, in logfmt
 * ({@code key=value} pairs, as Loki, Vector and most log pipelines parse them, in text lines or in a JSON
 * line's message):
 *
 * <pre>method=POST route=/api/agents/{agentId}/chat status=200 duration_ms=1523</pre>
 *
 * <p>The route is its template, never the path the client sent: a path's query may carry secrets (a token, a
 * code), and its ids would make every line of a route different. A request no route took (a 404, a request
 * refused before routing) has no template: its path stands in for it, without the query, as sent (still
 * percent-encoded, so it cannot break the line). {@code bytes} is what was sent, head and body, for an answer
 * sent whole; an event stream writes past Helidon's count, so its line has none. The duration runs to the
 * answer's last byte: an event stream's lasts as long as it streams.
 */
public final class AccessLog {
    /** The logger's name, for an operator who routes or silences these lines. */
    public static final String LOGGER = "dev.agentchat.access";
    private static final System.Logger LOG = System.getLogger(LOGGER);

    private AccessLog() {
    }

    /** One answered request as its line says it. */
    record Line(String method, Optional<String> route, String path, int status, long durationMillis, OptionalLong bytes) {
        String text() {
            StringBuilder line = new StringBuilder(96).append("method=").append(method);
            route.ifPresentOrElse(template -> line.append(" route=").append(template),
                    () -> line.append(" path=").append(path));
            line.append(" status=").append(status).append(" duration_ms=").append(durationMillis);
            bytes.ifPresent(count -> line.append(" bytes=").append(count));
            return line.toString();
        }
    }

    static void write(Line line) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, line.text());
        }
    }
}
