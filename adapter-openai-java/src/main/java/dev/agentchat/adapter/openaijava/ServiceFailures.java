package dev.agentchat.adapter.openaijava;

import static dev.agentchat.adapter.openaijava.FailureCatalogue.*;

import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;
import dev.agentchat.ports.chat.ModelFailure;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The only place where what the SDK and OkHttp throw becomes a {@link ModelFailure}. The message, for
 * clients, is a sentence of the {@link FailureCatalogue}: never the service's address, an exception or
 * the service's own words. The detail, for the log only, names the service and quotes it, shortened.
 * Neither carries the API key (it is scrubbed, should a proxy echo it).
 */
final class ServiceFailures {
    private static final int LONGEST_QUOTE = 300;
    /** A Retry-After in seconds is worth repeating to a client; an HTTP date is not. */
    private static final Pattern WHOLE_SECONDS = Pattern.compile("\\d{1,6}");

    private final String service;
    private final Optional<String> key;

    ServiceFailures(OpenAiJavaSettings settings) {
        URI endpoint = settings.endpoint();
        this.service = "the model service at " + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
        this.key = settings.apiKey();
    }

    /** The request was refused (after any retries), or the service could not be reached or did not answer. */
    ModelFailure beforeAnswer(RuntimeException thrown) {
        return switch (thrown) {
            case ModelFailure failure -> failure;
            case SseException event -> midAnswer(event);
            case OpenAIServiceException refused -> refused(refused);
            case OpenAIIoException io when timedOut(io) -> failure(UNAVAILABLE, TOO_SLOW, "The Service did not answer in time.", io);
            case OpenAIIoException io -> failure(UNAVAILABLE, UNREACHABLE, "Could not reach the Service ("
                    + describe(io.getCause()) + ").", io);
            default -> failure(UNAVAILABLE, UNREACHABLE, "Could not reach the Service (" + describe(thrown) + ").", thrown);
        };
    }

    /** The answer had begun: the connection broke off or went silent, a chunk was no chunk, or the service sent an error event. */
    ModelFailure midAnswer(RuntimeException thrown) {
        return switch (thrown) {
            case ModelFailure failure -> failure;
            case SseException event -> inAnswer(event);
            case OpenAIIoException io when timedOut(io) -> failure(STREAM_CUT, WENT_SILENT,
                    "The Service went silent in the middle of the answer.", io);
            case OpenAIIoException io -> failure(STREAM_CUT, BROKE_OFF,
                    "The connection to the Service broke off in the middle of the answer (" + describe(io.getCause()) + ").", io);
            default -> notAChunk(thrown);
        };
    }

    /** The body ended before the answer was finished (no finish reason). */
    ModelFailure endedEarly() {
        return failure(STREAM_CUT, ENDED_EARLY, "The Service ended the answer before it was finished.", null);
    }

    /** A chunk that is not a chat completion; the SDK's words (which quote it) go to the detail only. */
    ModelFailure notAChunk(Throwable cause) {
        return failure(PROTOCOL_ERROR, NOT_AN_ANSWER, "The Service sent a chunk that is not a chat completion: "
                + (cause == null ? "null" : describe(cause)), cause);
    }

    private ModelFailure inAnswer(SseException event) {
        Said said = Said.of(event.body());
        String detail = "The Service stopped the answer with an error" + quoted(said) + ".";
        if (said.is(CONTENT_FILTER)) {
            return failure(CONTENT_FILTER, FILTER_STOPPED, detail, event);
        }
        if (said.is(CONTEXT_TOO_LONG) || said.says("maximum context length")) {
            return failure(CONTEXT_TOO_LONG, TOO_LONG, detail, event);
        }
        return failure(MODEL_ERROR, STOPPED_WITH_ERROR, detail, event);
    }

    private ModelFailure refused(OpenAIServiceException refused) {
        int status = refused.statusCode();
        Said said = Said.of(refused.body());
        String quote = quoted(said);
        if (status == 401 || status == 403) {
            return failure(AUTH_FAILED, CREDENTIALS_REFUSED, "The Service refused the credentials (HTTP " + status + ")" + quote + ".", refused);
        }
        if (status == 429) {
            Optional<String> asked = refused.headers().values("Retry-After").stream().findFirst().map(String::strip);
            String again = asked.filter(s -> WHOLE_SECONDS.matcher(s).matches())
                    .map(s -> " Try again in " + s + " seconds.").orElse(" Try again shortly.");
            return failure(RATE_LIMITED, TOO_MANY_REQUESTS + again,
                    "The Service is rate limiting requests (HTTP 429) and retries did not get through" + quote + "."
                            + asked.map(s -> " It asked to wait " + s + " s.").orElse(""), refused);
        }
        if (status == 408 || status >= 500) {
            return failure(UNAVAILABLE, UNAVAILABLE_NOW,
                    "The Service is unavailable (HTTP " + status + ") and retries did not get through" + quote + ".", refused);
        }
        if (said.is(CONTENT_FILTER) || said.is("ResponsibleAIPolicyViolation")) {
            return failure(CONTENT_FILTER, FILTER_REFUSED, "The content filter of the Service refused the request" + quote + ".", refused);
        }
        if (said.is(CONTEXT_TOO_LONG) || said.says("maximum context length")) {
            return failure(CONTEXT_TOO_LONG, TOO_LONG, "The conversation is longer than the model's context window" + quote + ".", refused);
        }
        return failure(MODEL_ERROR, REFUSED, "The Service refused the request (HTTP " + status + ")" + quote + ".", refused);
    }

    /**
     * Details are written with "the Service" standing for the service's name, which is put in here, the key
     * scrubbed out of the whole.
     */
    private ModelFailure failure(String code, String message, String detail, Throwable cause) {
        String named = detail.replace("The Service", capitalised(service)).replace("the Service", service);
        return new ModelFailure(code, message, scrub(named), cause);
    }

    private static boolean timedOut(OpenAIIoException io) {
        // SocketTimeoutException is an InterruptedIOException; OkHttp's call timeout throws one too.
        return io.getCause() instanceof InterruptedIOException && !"Canceled".equals(io.getCause().getMessage());
    }

    private String describe(Throwable e) {
        if (e == null) {
            return "no cause";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + shortened(scrub(message)));
    }

    private String quoted(Said said) {
        return said.message() == null || said.message().isBlank() ? "" : ": " + shortened(scrub(said.message()));
    }

    private String scrub(String text) {
        return key.map(secret -> text.replace(secret, "***")).orElse(text);
    }

    private static String shortened(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= LONGEST_QUOTE ? oneLine : oneLine.substring(0, LONGEST_QUOTE - 1) + "\u2026";
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /**
     * What the service said: its error object's {@code code}, {@code innererror.code} (Azure's content filter
     * says "ResponsibleAIPolicyViolation" there) and {@code message}.
     */
    private record Said(String code, String innerCode, String message) {
        static Said of(JsonValue error) {
            Map<String, JsonValue> fields = objectOf(error);
            if (fields.isEmpty()) {
                return new Said(null, null, text(error));
            }
            return new Said(text(fields.get("code")), text(objectOf(fields.get("innererror")).get("code")),
                    text(fields.get("message")));
        }

        /** JsonValue extends the raw JsonField: read through a wildcard, its accessors keep their types. */
        private static Map<String, JsonValue> objectOf(JsonValue value) {
            JsonField<?> field = value;
            return field == null ? Map.of() : field.asObject().orElse(Map.of());
        }

        private static String text(JsonValue value) {
            JsonField<?> field = value;
            if (field == null) {
                return null;
            }
            Optional<String> text = field.asString();
            return text.isPresent() ? text.get() : field.asNumber().map(String::valueOf).orElse(null);
        }

        boolean is(String wanted) {
            return wanted.equals(code) || wanted.equals(innerCode);
        }

        boolean says(String words) {
            return message != null && message.contains(words);
        }
    }
}
