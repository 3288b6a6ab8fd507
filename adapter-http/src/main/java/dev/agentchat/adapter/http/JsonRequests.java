package dev.agentchat.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentchat.adapter.http.problem.Problem;
import dev.agentchat.adapter.http.problem.ProblemException;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** Reads a JSON object body, checking its type and size before trusting it. */
public final class JsonRequests {
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String QUOTED = "\"(?:[\\t \\x21\\x23-\\x5B\\x5D-\\x7E\\x80-\\xFF]|\\\\[\\t \\x21-\\x7E\\x80-\\xFF])*\"";
    /** type "/" subtype *( OWS ";" OWS [ name "=" ( token / quoted-string ) ] ), with the surrounding whitespace allowed. */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[ \\t]*" + TOKEN + "/" + TOKEN
            + "(?:[ \\t]*;[ \\t]*(?:" + TOKEN + "=(?:" + TOKEN + "|" + QUOTED + "))?)*[ \\t]*");

    private JsonRequests() {
    }

    /**
     * The body as a JSON object.
     *
     * @throws ProblemException 415 for another content type, 413 over {@code maxBytes}, 400 when not a JSON object
     */
    public static JsonNode readObject(ServerRequest req, int maxBytes) {
        Optional<HttpMediaType> type = contentType(req);
        if (type.isEmpty() || !isJson(type.get())) {
            throw new ProblemException(new Problem(415, "unsupported_media_type", "Unsupported media type",
                    "Send the body as application/json, not " + type.map(HttpMediaType::text).orElse("without a Content-Type") + "."));
        }
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        JsonNode body;
        try {
            body = Json.read(readAtMost(req, maxBytes));
        } catch (MalformedBody e) {
            throw new ProblemException(Problem.badRequest(e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (body == null || !body.isObject()) {
            throw new ProblemException(Problem.badRequest("The body must be a JSON object."));
        }
        return body;
    }

    /**
     * The body as a record of {@code type}, read as {@link #readObject} reads it.
     *
     * @throws ProblemException as {@link #readObject}, and 400 when a member has the wrong type
     */
    public static <T> T read(ServerRequest req, int maxBytes, Class<T> type) {
        return bind(readObject(req, maxBytes), type);
    }

    /**
     * A JSON object read as a record of {@code type}.
     *
     * @throws ProblemException 400 naming the member that has the wrong type
     */
    public static <T> T bind(JsonNode body, Class<T> type) {
        try {
            return Json.bind(body, type);
        } catch (MalformedBody e) {
            throw new ProblemException(Problem.badRequest(e.getMessage()));
        }
    }

    /**
     * The declared type, once its header is known to be one well-formed media type (RFC 9110, 8.3.1).
     * Helidon's parser reads some malformed values its own way and fails on others with errors of
     * its own, so the header is checked first; an unreadable type is as unsupported as a wrong one.
     */
    private static Optional<HttpMediaType> contentType(ServerRequest req) {
        List<String> declared = req.headers().all(HeaderNames.CONTENT_TYPE, List::of);
        if (declared.isEmpty()) {
            return Optional.empty();
        }
        if (declared.size() > 1 || !MEDIA_TYPE.matcher(declared.getFirst()).matches()) {
            throw unreadableContentType();
        }
        try {
            return req.headers().contentType();
        } catch (RuntimeException e) {
            throw unreadableContentType();
        }
    }

    private static ProblemException unreadableContentType() {
        return new ProblemException(new Problem(415, "unsupported_media_type", "Unsupported media type",
                "The Content-Type header cannot be read; send 'Content-Type: application/json'."));
    }

    private static boolean isJson(HttpMediaType type) {
        String subtype = type.mediaType().subtype();
        return type.mediaType().type().equals(MediaTypes.APPLICATION_JSON.type())
                && (subtype.equals("json") || subtype.endsWith("+json"));
    }

    /**
     * Reads the body but stops one byte past the limit, so that a chunked body cannot make us buffer
     * without bound. A malformed chunk size surfaces here as Helidon's own parser exception; it is left
     * to {@code Problems}, which answers 400 and ends the connection, since where the body ends is unknown.
     */
    private static byte[] readAtMost(ServerRequest req, int maxBytes) throws IOException {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        InputStream in = req.content().inputStream();
        // Not closed when the read fails: closing drains the rest of the body, and a body whose chunk
        // framing is broken would be drained until the read timeout instead of answered now.
        // A declared length (already checked against the limit) is read as it is: no larger buffer to fill and copy.
        OptionalLong declared = req.headers().contentLength();
        byte[] bytes = in.readNBytes(declared.isPresent() ? (int) declared.getAsLong() : maxBytes + 1);
        try (in) {
            if (bytes.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return bytes;
        }
    }

    private static ProblemException tooLarge(int maxBytes) {
        return new ProblemException(new Problem(413, "payload_too_large", "Request body too large",
                "The body may be at most " + maxBytes + " bytes."));
    }
}
