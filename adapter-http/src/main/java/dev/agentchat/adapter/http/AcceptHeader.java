package dev.agentchat.adapter.http;

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

    /** Refuses with 406 a request that does not accept {@code type}. */
    public static void require(ServerRequest req, MediaType type) {
        if (!accepts(req, type)) {
            String hint = type.equals(MediaTypes.TEXT_EVENT_STREAM)
                    ? " Send 'Accept: text/event-stream', or \"stream\": false for one JSON document." : "";
            throw new ProblemException(new Problem(406, "not_acceptable", "Not acceptable",
                    "This answer is " + type.text() + ", which the request's Accept header does not allow." + hint));
        }
    }

    /** Whether the Accept header allows the type; unlike Helidon 4.2's own check, {@code q=0} means "not this". */
    private static boolean accepts(ServerRequest req, MediaType type) {
        List<HttpMediaType> accepted;
        try {
            accepted = req.headers().acceptedTypes();
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.badRequest("The Accept header cannot be read."));
        }
        return accepted.isEmpty() || accepted.stream().anyMatch(range -> range.qualityFactor() > 0 && range.test(type));
    }
}
