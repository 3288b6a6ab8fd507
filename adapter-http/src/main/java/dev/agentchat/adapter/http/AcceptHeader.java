package dev.agentchat.adapter.http;

import dev.agentchat.adapter.http.edge.GuardedHttp1;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;

/** What a request's {@code Accept} header allows. */
public final class AcceptHeader {
    private AcceptHeader() {
    }

    /**
     * Refuses with 400 a request whose Accept header cannot be read, on every route: Helidon's own handlers
     * (the OpenAPI document's) read it too, and answer what their parser throws with a 500.
     */
    public static void requireReadable(ServerRequest req) {
        accepts(req, MediaTypes.WILDCARD);
    }

    /**
     * Refuses with 406 a request that does not accept {@code type}; and with 426 an HTTP/1.0 request for an
     * event stream, which this server can only frame in HTTP/1.1 chunks (see {@link GuardedHttp1}).
     */
    public static void require(ServerRequest req, MediaType type) {
        if (type.equals(MediaTypes.TEXT_EVENT_STREAM) && GuardedHttp1.requestIsHttp10()) {
            // Refused before the route does anything, a turn included; a 426 names the protocol to use (RFC 9110
            // 15.5.22), in an Upgrade that the Connection names (7.8). The connection ends, as its answer says.
            GuardedHttp1.endConnectionAfterThisRequest();
            throw new ProblemException(new Problem(426, "http_1_1_required", "HTTP/1.1 required",
                    "An event stream is sent over HTTP/1.1 only; this request was HTTP/1.0. Send it as HTTP/1.1, "
                            + "or ask for one JSON document (\"stream\": false) where the route offers one.")
                    .withHeader("Upgrade", "HTTP/1.1").withHeader("Connection", "Upgrade, close"));
        }
        if (!accepts(req, type)) {
            String hint = type.equals(MediaTypes.TEXT_EVENT_STREAM)
                    ? " Send 'Accept: text/event-stream', or \"stream\": false for one JSON document." : "";
            throw new ProblemException(new Problem(406, "not_acceptable", "Not acceptable",
                    "This answer is " + type.text() + ", which the request's Accept header does not allow." + hint));
        }
    }

    /**
     * Whether the Accept header allows the type; unlike Helidon 4.2's own check, {@code q=0} means "not this".
     * A header that cannot be read, a quality that is no number from 0 to 1 included, is a bad request: Helidon
     * parses qualities only when it is asked for them, and then throws whatever its parser throws.
     */
    private static boolean accepts(ServerRequest req, MediaType type) {
        try {
            List<HttpMediaType> accepted = req.headers().acceptedTypes();
            boolean allowed = accepted.isEmpty();
            for (HttpMediaType range : accepted) {
                double quality = range.qualityFactor();
                if (!(quality >= 0 && quality <= 1)) {
                    throw new IllegalArgumentException("quality out of range");
                }
                allowed |= quality > 0 && range.test(type);
            }
            return allowed;
        } catch (RuntimeException e) {
            throw new ProblemException(Problem.badRequest("The Accept header cannot be read: each media range may have "
                    + "a quality q from 0 to 1, such as 'text/event-stream;q=0.9'."));
        }
    }
}
