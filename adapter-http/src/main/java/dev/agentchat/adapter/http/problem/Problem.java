package dev.agentchat.adapter.http.problem;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An RFC 9457 problem: every error answered outside a stream.
 *
 * @param status     the HTTP status
 * @param code       a stable snake_case code, also the last part of the type URI
 * @param title      a short summary that does not change from case to case
 * @param detail     what went wrong this time
 * @param extensions further members, such as the run id of a failed turn
 * @param headers    response headers the answer needs besides its body, such as the {@code Retry-After} of a 429
 */
public record Problem(int status, String code, String title, String detail, Map<String, Object> extensions,
                      Map<String, String> headers) {
    /** The members RFC 9457 defines, and our {@code code}: an extension of the same name would say something else. */
    private static final Set<String> RESERVED = Set.of("type", "title", "status", "detail", "instance", "code");

    public Problem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        extensions = Map.copyOf(extensions);
        headers = Map.copyOf(headers);
        for (String member : extensions.keySet()) {
            if (RESERVED.contains(member)) {
                throw new IllegalArgumentException("'" + member + "' is a problem member of its own, not an extension");
            }
        }
    }

    public Problem(int status, String code, String title, String detail, Map<String, Object> extensions) {
        this(status, code, title, detail, extensions, Map.of());
    }

    public Problem(int status, String code, String title, String detail) {
        this(status, code, title, detail, Map.of(), Map.of());
    }

    public String type() {
        return "urn:agentchat:problem:" + code;
    }

    public Problem with(String member, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(status, code, title, detail, more, headers);
    }

    /** The same problem, answered with the response header {@code name} set to {@code value}. */
    public Problem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Problem(status, code, title, detail, extensions, more);
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, "invalid_request", "The request is not valid", detail);
    }

    public static Problem notFound(String code, String detail) {
        return new Problem(404, code, "Not found", detail);
    }
}
