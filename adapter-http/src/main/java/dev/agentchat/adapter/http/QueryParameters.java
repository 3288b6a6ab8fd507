package dev.agentchat.adapter.http;

import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/** Query parameters read strictly: a value that is there but wrong is a 400 naming it, never a silent default. */
public final class QueryParameters {
    private QueryParameters() {
    }

    public static int integer(ServerRequest req, String name, int fallback, int min, int max) {
        Optional<String> value = req.query().first(name).asOptional();
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.get());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the allowed range
        }
        throw new ProblemException(Problem.badRequest("'" + name + "' must be a whole number from " + min
                + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ", was '" + value.get() + "'."));
    }
}
